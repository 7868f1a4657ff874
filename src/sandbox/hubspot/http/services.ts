/** What the routes share, and the per-request caller (set by the auth middleware). */
import type { Request } from 'express';
import type { CallCounter } from '../../common/call-counter.js';
import type { FaultInjector } from '../../common/faults.js';
import type { AuthContext, OAuthServer } from '../oauth/oauth-server.js';
import { OBJECT_SCOPES } from '../oauth/scopes.js';
import type { ObjectTypeName } from '../store/object-types.js';
import type { Actor } from '../store/actors.js';
import type { HubSpotStore } from '../store/hubspot-store.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { HubSpotHttpError } from './hubspot-error.js';
import { objectTypeParam } from './object-json.js';
import type { RateLimiter } from './rate-limiter.js';

export interface HubSpotServices {
  store: HubSpotStore;
  oauth: OAuthServer;
  rateLimits: RateLimiter;
  webhooks: WebhookDispatcher;
  counter: CallCounter;
  faults: FaultInjector;
  portalId: number;
  appName: string;
}

const callers = new WeakMap<Request, AuthContext>();

export function setCaller(req: Request, auth: AuthContext): void {
  callers.set(req, auth);
}

export function callerOf(req: Request): AuthContext {
  const auth = callers.get(req);
  if (auth === undefined) throw new HubSpotHttpError(500, 'INTERNAL_ERROR', 'internal error: request reached a route without authentication');
  return auth;
}

/** API writes count as the app's own (changeSource INTEGRATION, sourceId = app id). */
export function actorOf(req: Request): Actor {
  const auth = callerOf(req);
  return { source: 'INTEGRATION', appId: auth.appId, userId: auth.userId };
}

/** 403 MISSING_SCOPES unless the token holds at least one of `anyOf`. */
export function requireScopes(req: Request, anyOf: readonly string[]): void {
  const auth = callerOf(req);
  if (anyOf.some((scope) => auth.scopes.has(scope))) return;
  throw new HubSpotHttpError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [...anyOf] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

export type ObjectAccess = 'read' | 'write' | 'schema-read' | 'schema-write';

/** 403 unless the token may do `access` on records (or property definitions) of `type`. */
export function requireObjectScopes(req: Request, type: ObjectTypeName, access: ObjectAccess): void {
  const scopes = OBJECT_SCOPES[type];
  const anyOf = {
    read: [scopes.read, scopes.write],
    write: [scopes.write],
    'schema-read': [scopes.schemaRead, scopes.schemaWrite, scopes.read, scopes.write],
    'schema-write': [scopes.schemaWrite],
  }[access];
  requireScopes(req, anyOf);
}

/** The object type named in a path, once the token's scopes allow `access` to it. */
export function scopedObjectType(req: Request, value: string | undefined, access: ObjectAccess): ObjectTypeName {
  const type = objectTypeParam(value);
  requireObjectScopes(req, type, access);
  return type;
}
