/**
 * The one gateway to Salesforce: a jsforce Connection whose every call takes its budget first,
 * reports Sforce-Limit-Info to the budget, and turns failures into classified RevloopErrors.
 * Session refresh is jsforce's own (refresh token, or a refresh function for JWT bearer); a new
 * token is handed to `onToken` so it can be stored.
 */
import jsforce from 'jsforce';
import type { Connection } from 'jsforce';
import type { ApiBudget, Priority } from '../budget/api-budget.js';
import { maxInCallWait, retryDecision } from '../retry-decision.js';
import { classifySalesforceError } from './errors.js';

export const REVLOOP_CLIENT = 'revloop';

export interface SalesforceSession {
  instanceUrl: string;
  accessToken: string;
  version: string;
  /** OAuth: refresh with the refresh token through the connected app. */
  oauth?: { loginUrl: string; clientId: string; clientSecret?: string; refreshToken: string };
  /** Server to server (JWT bearer): obtain a new token. */
  renew?: () => Promise<{ accessToken: string; instanceUrl?: string }>;
  onToken?: (token: { accessToken: string; instanceUrl: string }) => void | Promise<void>;
}

export interface SalesforceCallObserver {
  (event: { system: 'salesforce'; operation: string; ok: boolean; ms: number; code?: string }): void;
}

export class SalesforceApi {
  readonly conn: Connection;

  constructor(
    session: SalesforceSession,
    private readonly budget: ApiBudget,
    private readonly observe: SalesforceCallObserver = () => {},
  ) {
    const renew = session.renew;
    this.conn = new jsforce.Connection({
      instanceUrl: session.instanceUrl.replace(/\/+$/, ''),
      accessToken: session.accessToken,
      version: session.version,
      // Names revloop in every change it makes (changeOrigin "...;client=revloop"), so its own changes are recognised.
      callOptions: { client: REVLOOP_CLIENT },
      ...(session.oauth
        ? {
            oauth2: { loginUrl: session.oauth.loginUrl, clientId: session.oauth.clientId, ...(session.oauth.clientSecret ? { clientSecret: session.oauth.clientSecret } : {}), redirectUri: `${session.oauth.loginUrl}/callback` },
            refreshToken: session.oauth.refreshToken,
          }
        : {}),
      ...(renew
        ? {
            refreshFn: (_conn, callback) => {
              renew().then(
                (t) => callback(null, t.accessToken),
                (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
              );
            },
          }
        : {}),
    });
    if (session.onToken) {
      const onToken = session.onToken;
      this.conn.on('refresh', (accessToken: string) => {
        // The callback owns its failures; one it lets through must not end the process as an unhandled rejection.
        Promise.resolve()
          .then(() => onToken({ accessToken, instanceUrl: this.conn.instanceUrl }))
          .catch(() => undefined);
      });
    }
  }

  get version(): string {
    return this.conn.version;
  }

  private ownUser: Promise<string | undefined> | undefined;

  /**
   * The user revloop's calls run as (userinfo's user_id, cached): a record it was the last to modify
   * has a LastModifiedDate that says nothing about when its other fields changed.
   */
  userId(): Promise<string | undefined> {
    this.ownUser ??= this.call('userinfo', (conn) => conn.request<{ user_id?: string }>(`${conn.instanceUrl}/services/oauth2/userinfo`))
      .then((info) => (typeof info.user_id === 'string' ? info.user_id : undefined))
      .catch(() => {
        // Asked again after a while, not on every batch (a token without the scope fails every time).
        setTimeout(() => (this.ownUser = undefined), 10 * 60_000).unref();
        return undefined;
      });
    return this.ownUser;
  }

  /**
   * Runs one call. jsforce itself sends a GET again on a 5xx, 429 or network error (five times); a
   * write that may be repeated (`repeatable`: collection updates and upserts by an external id) is
   * sent again here on a transient failure (retryDecision). Each attempt takes its budget.
   */
  async call<T>(operation: string, fn: (conn: Connection) => Promise<T>, priority: Priority = 'live', repeatable = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.budget.take('salesforce', priority);
      const started = Date.now();
      try {
        const result = await fn(this.conn);
        this.afterCall();
        this.observe({ system: 'salesforce', operation, ok: true, ms: Date.now() - started });
        return result;
      } catch (err) {
        this.afterCall();
        const error = classifySalesforceError(err, operation);
        this.observe({ system: 'salesforce', operation, ok: false, ms: Date.now() - started, code: error.code });
        const decision = retryDecision(error, attempt, repeatable, Math.random, maxInCallWait(priority));
        if (!decision.retry) throw error;
        await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
      }
    }
  }

  private afterCall(): void {
    const usage = this.conn.limitInfo?.apiUsage;
    if (usage) this.budget.observeSalesforceLimitInfo(`api-usage=${usage.used}/${usage.limit}`);
  }
}
