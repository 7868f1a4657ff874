/**
 * The partner SOAP endpoint (`POST /services/Soap/u/<version>`), for the one call revloop needs over SOAP:
 * convertLead, exactly as jsforce's `conn.soap.convertLead` sends it. Errors are SOAP faults with HTTP 500; an
 * invalid session gives the INVALID_SESSION_ID fault on which jsforce refreshes its token.
 */
import type { Request, Response } from 'express';
import type { TokenStore } from '../auth/token-store.js';
import type { LeadConvertRequest, LeadConvertResult } from '../store/convert-lead.js';
import type { SalesforceStore } from '../store/salesforce-store.js';
import type { ApiUsage } from '../http/api-usage.js';
import { apiVersionOf } from '../options.js';
import { faultEnvelope, parseSoapRequest, responseEnvelope, SOAP_CONTENT_TYPE, toXml, type XmlValue } from './envelope.js';

export interface SoapDeps {
  store: SalesforceStore;
  tokens: TokenStore;
  usage: ApiUsage;
}

function send(res: Response, status: number, xml: string): void {
  res.status(status).setHeader('Content-Type', SOAP_CONTENT_TYPE);
  res.end(xml);
}

function fault(res: Response, code: string, message: string, faultcode = `sf:${code}`): void {
  send(res, 500, faultEnvelope(faultcode, code, message));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function flag(value: unknown): boolean {
  return value === 'true' || value === '1';
}

function leadConvertOf(raw: unknown): LeadConvertRequest {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const request: LeadConvertRequest = {
    leadId: text(r.leadId) ?? '',
    convertedStatus: text(r.convertedStatus) ?? '',
    doNotCreateOpportunity: flag(r.doNotCreateOpportunity),
    overwriteLeadSource: flag(r.overwriteLeadSource),
    sendNotificationEmail: flag(r.sendNotificationEmail),
  };
  const accountId = text(r.accountId);
  const contactId = text(r.contactId);
  const ownerId = text(r.ownerId);
  const opportunityName = text(r.opportunityName);
  if (accountId !== undefined) request.accountId = accountId;
  if (contactId !== undefined) request.contactId = contactId;
  if (ownerId !== undefined) request.ownerId = ownerId;
  if (opportunityName !== undefined) request.opportunityName = opportunityName;
  return request;
}

function resultXml(result: LeadConvertResult): XmlValue {
  return {
    accountId: result.accountId,
    contactId: result.contactId,
    errors: result.errors.map((e) => ({ fields: e.fields, message: e.message, statusCode: e.statusCode })),
    leadId: result.leadId,
    opportunityId: result.opportunityId,
    success: result.success,
  };
}

export function soapHandler(deps: SoapDeps) {
  return (req: Request, res: Response): void => {
    const version = apiVersionOf(`v${req.params.version ?? ''}`);
    if (version === undefined) {
      fault(res, 'UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL: ${req.params.version ?? ''}`);
      return;
    }
    const request = typeof req.body === 'string' ? parseSoapRequest(req.body) : undefined;
    if (request === undefined) {
      fault(res, 'INVALID_XML', 'Unable to parse the request: it is not a SOAP envelope', 'soapenv:Client');
      return;
    }
    const session = request.sessionId === undefined ? undefined : deps.tokens.verify(request.sessionId);
    if (session === undefined) {
      fault(res, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
      return;
    }
    if (deps.usage.exhausted()) {
      fault(res, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      return;
    }
    deps.usage.record();
    const limitHeader = toXml('LimitInfoHeader', { limitInfo: { current: deps.usage.used(), limit: deps.usage.limit, type: 'API REQUESTS' } });
    if (request.operation !== 'convertLead') {
      fault(res, 'INVALID_OPERATION', `No operation available for request {urn:partner.soap.sforce.com}${request.operation}`, 'soapenv:Client');
      return;
    }
    const raw = request.args.leadConverts;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    if (list.length === 0 || list.length > 100) {
      fault(res, 'INVALID_ARGUMENT', 'convertLead takes between 1 and 100 leadConverts');
      return;
    }
    const results = deps.store.convertLeads(
      list.map(leadConvertOf),
      { userId: session.userId, origin: 'api', api: 'soap', apiVersion: version, ...(request.client === undefined ? {} : { client: request.client }) },
    );
    send(res, 200, responseEnvelope(toXml('convertLeadResponse', { result: results.map(resultXml) }), limitHeader));
  };
}
