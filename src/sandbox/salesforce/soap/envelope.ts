/**
 * SOAP envelopes of the partner API as jsforce reads them: Envelope and Body namespace-prefixed (jsforce matches
 * /:Envelope$/ and /:Body$/ and takes the first child of Body), nil values as xsi:nil, faults with HTTP 500.
 */
import { XMLParser } from 'fast-xml-parser';

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:fault.partner.soap.sforce.com">';

export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type XmlValue = string | number | boolean | null | XmlValue[] | { [key: string]: XmlValue };

/** Serialises a value as child elements; null becomes xsi:nil, arrays repeat the element. */
export function toXml(name: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function responseEnvelope(body: string, header = ''): string {
  return `${ENVELOPE_OPEN}${header === '' ? '' : `<soapenv:Header>${header}</soapenv:Header>`}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export function faultEnvelope(faultcode: string, exceptionCode: string, message: string): string {
  const detail =
    `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${escapeXml(exceptionCode)}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>`;
  return responseEnvelope(
    `<soapenv:Fault><faultcode>${escapeXml(faultcode)}</faultcode><faultstring>${escapeXml(`${exceptionCode}: ${message}`)}</faultstring>${detail}</soapenv:Fault>`,
  );
}

export interface SoapRequest {
  sessionId: string | undefined;
  client: string | undefined;
  operation: string;
  /** The operation element's children, namespace prefixes removed, text kept as strings, nil as null. */
  args: Record<string, unknown>;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
});

/** Replaces `{ '@nil': 'true' }` elements by null and drops other attributes. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.some(([k, v]) => k === '@nil' && v === 'true')) return null;
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) if (!k.startsWith('@')) out[k] = clean(v);
    return out;
  }
  return value;
}

/** Parses a request envelope; undefined when it is not a SOAP envelope. */
export function parseSoapRequest(xml: string): SoapRequest | undefined {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    return undefined;
  }
  const envelope = (doc as Record<string, unknown>).Envelope;
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const header = clean((envelope as Record<string, unknown>).Header) as Record<string, Record<string, unknown> | undefined> | undefined;
  const body = clean((envelope as Record<string, unknown>).Body);
  if (typeof body !== 'object' || body === null) return undefined;
  const [operation, args] = Object.entries(body as Record<string, unknown>)[0] ?? [];
  if (operation === undefined) return undefined;
  const sessionId = header?.SessionHeader?.sessionId;
  const client = header?.CallOptions?.client;
  return {
    sessionId: typeof sessionId === 'string' ? sessionId : undefined,
    client: typeof client === 'string' ? client : undefined,
    operation,
    args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {},
  };
}
