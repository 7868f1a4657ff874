/**
 * Composite (`POST /composite`): up to 25 subrequests in one call and one transaction, each able to use earlier
 * results through `@{referenceId.path}`. With allOrNone the first failure rolls everything back and the other
 * subrequests answer PROCESSING_HALTED.
 */
import { z } from 'zod';
import { SalesforceApiError } from '../../errors.js';
import { apiVersionOf } from '../../options.js';
import { invoke, matchRoute, type HttpMethod, type RestCall, type RestDeps, type RestRoute } from '../rest-route.js';
import type { RestResult } from '../responses.js';
import { parseBody } from './shared.js';

const MAX_SUBREQUESTS = 25;

const compositeBodySchema = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z
    .array(
      z.object({
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        url: z.string().min(1),
        referenceId: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and _'),
        body: z.unknown().optional(),
        httpHeaders: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const HALTED = [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }];

class UnresolvedReference extends Error {}

/** Reads `ref.a.b[0].c` from an earlier subrequest's body. */
function lookup(results: Map<string, SubResponse>, expression: string): unknown {
  const [ref, ...rest] = expression.split('.');
  const earlier = results.get(ref ?? '');
  if (earlier === undefined || earlier.httpStatusCode >= 400) throw new UnresolvedReference(expression);
  let value: unknown = earlier.body;
  for (const part of rest.join('.').split('.').filter((p) => p !== '')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (m === null) throw new UnresolvedReference(expression);
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[m[1] ?? ''] : undefined;
    for (const index of (m[2] ?? '').match(/\d+/g) ?? []) value = Array.isArray(value) ? value[Number(index)] : undefined;
  }
  if (value === undefined) throw new UnresolvedReference(expression);
  return value;
}

function substitute(value: unknown, results: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole !== null) return lookup(results, whole[1] ?? '');
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) => String(lookup(results, expr)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  }
  return value;
}

function dispatch(routes: readonly RestRoute[], outer: RestCall, deps: RestDeps, method: HttpMethod, url: string, body: unknown, headers: Record<string, string>): RestResult {
  const parsed = new URL(url, 'http://composite.local');
  const m = /^\/services\/data\/(v[^/]+)(\/.*)?$/.exec(parsed.pathname);
  const version = m === null ? undefined : apiVersionOf(m[1] ?? '');
  if (m === null || version === undefined) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  const path = m[2] ?? '/';
  if (path.startsWith('/composite') && !path.startsWith('/composite/sobjects')) {
    return { status: 400, body: [{ errorCode: 'INVALID_API_INPUT', message: 'Composite requests cannot be nested' }] };
  }
  const found = matchRoute(routes, method, path);
  if (found === undefined) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  if (found === 'method') return { status: 405, body: [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${method}' not allowed.` }] };
  const query: Record<string, string | undefined> = {};
  for (const [k, v] of parsed.searchParams) query[k] ??= v;
  const lowerHeaders: Record<string, string | undefined> = { ...outer.headers };
  for (const [k, v] of Object.entries(headers)) lowerHeaders[k.toLowerCase()] = v;
  const call: RestCall = { ...outer, method, params: found.params, query, body, headers: lowerHeaders, version, ctx: { ...outer.ctx, apiVersion: version } };
  return invoke(found.route, call, deps);
}

export function compositeRoute(routes: () => readonly RestRoute[]): RestRoute {
  return {
    method: 'POST',
    path: '/composite',
    handler: (call, deps) => {
      const body = parseBody(compositeBodySchema, call.body);
      if (body.compositeRequest.length > MAX_SUBREQUESTS) {
        throw new SalesforceApiError('LIMIT_EXCEEDED', `Exceeded max limit of subrequests, maximum limit is ${MAX_SUBREQUESTS}`);
      }
      const ids = body.compositeRequest.map((r) => r.referenceId);
      const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
      if (duplicate !== undefined) throw new SalesforceApiError('INVALID_INPUT', `Duplicate referenceId provided in the request: ${duplicate}`);
      const allOrNone = body.allOrNone ?? false;
      const results = new Map<string, SubResponse>();
      const responses: SubResponse[] = [];
      deps.store.transaction(call.ctx, (tx) => {
        let halted = false;
        for (const sub of body.compositeRequest) {
          if (halted) {
            responses.push({ body: HALTED, httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
            continue;
          }
          const savepoint = tx.savepoint();
          let result: RestResult;
          try {
            const url = substitute(sub.url, results);
            const subBody = sub.body === undefined ? undefined : substitute(sub.body, results);
            result = dispatch(routes(), call, deps, sub.method, String(url), subBody, sub.httpHeaders ?? {});
          } catch (err) {
            if (!(err instanceof UnresolvedReference)) throw err;
            const ref = err.message.split('.')[0] ?? '';
            result = {
              status: 400,
              body: [{ errorCode: 'PROCESSING_HALTED', message: `Invalid reference specified. No value for ${err.message} found in ${ref}. Provided referenceId ('${ref}') must be the referenceId of a successful earlier subrequest.` }],
            };
          }
          if (result.status >= 400) tx.rollbackTo(savepoint);
          const response: SubResponse = { body: result.body ?? null, httpHeaders: result.headers ?? {}, httpStatusCode: result.status, referenceId: sub.referenceId };
          responses.push(response);
          results.set(sub.referenceId, response);
          if (result.status >= 400 && allOrNone) {
            tx.rollbackAll();
            halted = true;
            for (const earlier of responses) {
              if (earlier !== response) {
                earlier.body = HALTED;
                earlier.httpStatusCode = 400;
                earlier.httpHeaders = {};
              }
            }
          }
        }
      });
      return { status: 200, body: { compositeResponse: responses } };
    },
  };
}
