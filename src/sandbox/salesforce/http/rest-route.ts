/**
 * REST resources as plain, synchronous handlers over a parsed call, so that one table serves both express (each
 * route registered with its own template, which the call counter reports) and Composite subrequests.
 */
import type { Request, Response, Router } from 'express';
import type { Session } from '../auth/token-store.js';
import type { SalesforceStore } from '../store/salesforce-store.js';
import type { WriteContext } from '../store/write-context.js';
import type { ApiUsage } from './api-usage.js';
import type { QueryCursors } from './query-cursors.js';
import { errorResult, sendJson, sendResult, type RestResult } from './responses.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RestSettings {
  queryPageSize: number;
  /** The origin clients reach the sandbox at (instance URL), no trailing slash. */
  originOf(req: Request): string;
}

export interface RestDeps {
  store: SalesforceStore;
  cursors: QueryCursors;
  usage: ApiUsage;
  settings: RestSettings;
}

export interface RestCall {
  method: HttpMethod;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** '62.0' */
  version: string;
  session: Session;
  ctx: WriteContext;
  /** The instance URL the client called. */
  origin: string;
}

export type RestHandler = (call: RestCall, deps: RestDeps) => RestResult;

export interface RestRoute {
  method: HttpMethod;
  /** Relative to /services/data/vXX.X, in express syntax ('/sobjects/:sobject/:id'). */
  path: string;
  handler: RestHandler;
}

/** Parses `Sforce-Call-Options: client=revloop/1.0, defaultNamespace=x` into its client id. */
export function callOptionsClient(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(',')) {
    const [key, ...rest] = part.split('=');
    if (key?.trim().toLowerCase() === 'client') return rest.join('=').trim();
  }
  return undefined;
}

/** The API a route belongs to, for changeOrigin: Bulk API 2.0 jobs write as 'bulkapi'. */
function apiOf(path: string): 'rest' | 'bulkapi' {
  return path.startsWith('/jobs/') ? 'bulkapi' : 'rest';
}

export function writeContextOf(session: Session, version: string, api: 'rest' | 'soap' | 'bulkapi', client: string | undefined): WriteContext {
  return { userId: session.userId, origin: 'api', api, apiVersion: version, ...(client === undefined ? {} : { client }) };
}

function firstValues(query: Request['query']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    out[key] = Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
  }
  return out;
}

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.headers)) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Runs a handler, turning thrown Salesforce errors into their REST answer. */
export function invoke(route: RestRoute, call: RestCall, deps: RestDeps): RestResult {
  try {
    return route.handler(call, deps);
  } catch (err) {
    return errorResult(err, call.version);
  }
}

/** Registers the routes, plus a 405 METHOD_NOT_ALLOWED answer for other methods on the same paths. */
export function mountRoutes(router: Router, routes: readonly RestRoute[], deps: RestDeps): void {
  const allowed = new Map<string, HttpMethod[]>();
  for (const route of routes) {
    allowed.set(route.path, [...(allowed.get(route.path) ?? []), route.method]);
    const register = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    router[register](route.path, (req: Request, res: Response) => {
      const locals = res.locals as { session: Session; version: string };
      const client = callOptionsClient(req.header('sforce-call-options'));
      const call: RestCall = {
        method: route.method,
        params: req.params as Record<string, string>,
        query: firstValues(req.query),
        body: req.body as unknown,
        headers: headersOf(req),
        version: locals.version,
        session: locals.session,
        ctx: writeContextOf(locals.session, locals.version, apiOf(route.path), client),
        origin: deps.settings.originOf(req),
      };
      sendResult(res, invoke(route, call, deps));
    });
  }
  for (const [path, methods] of allowed) {
    router.all(path, (req: Request, res: Response, next) => {
      if (req.method === 'HEAD' || req.method === 'OPTIONS') return next();
      sendJson(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed. Allowed are ${[...new Set(['HEAD', ...methods])].join(',')}` }]);
    });
  }
}

/** Finds the route for a Composite subrequest path (relative to the version root). */
export function matchRoute(routes: readonly RestRoute[], method: string, path: string): { route: RestRoute; params: Record<string, string> } | 'method' | undefined {
  const segments = path.replace(/\/+$/, '').split('/').filter((s) => s !== '');
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').filter((s) => s !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] ?? '';
      const s = segments[i] ?? '';
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(s);
      else ok = p === s;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method' : undefined;
}
