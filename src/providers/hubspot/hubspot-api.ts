/**
 * The one gateway to HubSpot: every call takes its budget first, carries a fresh token, refreshes
 * it once on 401, reports the rate-limit headers to the budget, and turns failures into classified
 * RevloopErrors. The official client does no retrying of its own here (its waits, up to ten seconds
 * per attempt, would block a worker); a transient failure is sent again a few times with a short
 * backoff (retryDecision), anything longer belongs to the job that made the call.
 */
import { Client } from '@hubspot/api-client';
import { RevloopError } from '../../platform/errors.js';
import { RESERVATION_FRESH_MS, type ApiBudget, type BudgetSlot, type CallKind, type Priority } from '../budget/api-budget.js';
import { maxInCallWait, retryDecision } from '../retry-decision.js';
import { classifyHubSpotError } from './errors.js';

export interface HubSpotAuth {
  /** A valid access token (refreshed ahead of expiry by OAuth implementations). */
  accessToken(): Promise<string>;
  /** A new token after a 401; throws AUTH_REVOKED when that is impossible. */
  refresh(): Promise<string>;
}

/** A private-app token: it never expires, so a 401 means it was revoked. */
export function staticHubSpotAuth(token: string): HubSpotAuth {
  return {
    accessToken: async () => token,
    refresh: async () => {
      throw new RevloopError('AUTH_REVOKED', 'HubSpot refused the private-app token; create a new one and update HUBSPOT_PRIVATE_APP_TOKEN');
    },
  };
}

export interface CallObserver {
  (event: { system: 'hubspot'; operation: string; ok: boolean; ms: number; code?: string }): void;
}

interface WithHeaders {
  headers: Record<string, string>;
}

/** A JSON answer as HubSpot sent it, with its headers (for the rate-limit windows). */
export interface JsonAnswer<T> {
  data: T;
  headers: Record<string, string>;
}

/**
 * A call through the client's generic request: the answer is parsed as HubSpot sends it, without the
 * typed API's model (de)serialisation (a sixth of the worker's CPU on large batch reads). A non-2xx
 * answer is thrown the way the typed calls throw it (status code, body, headers), so it is classified alike.
 */
export async function requestJson<T>(client: Client, method: 'GET' | 'POST', path: string, options: { body?: unknown; qs?: Record<string, string> } = {}): Promise<JsonAnswer<T>> {
  const res = await client.apiRequest({ method, path, ...(options.body !== undefined ? { body: options.body } : {}), ...(options.qs ? { qs: options.qs } : {}) });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const text = await res.text();
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status} from ${method} ${path}`), { code: res.status, body: text, headers });
  return { data: JSON.parse(text) as T, headers };
}

/**
 * A HubSpot budget slot taken ahead of the call that will use it: `taken` resolves to the slot (or
 * rejects as a take does). Used within RESERVATION_FRESH_MS of its take, the slot covers its call as
 * it is (the rolling window's guard allows for that); older, it is moved to the time of its call.
 */
export interface BudgetReservation {
  taken: Promise<BudgetSlot | undefined>;
}

export class HubSpotApi {
  readonly client: Client;
  private token: string | undefined;
  /** The token the client holds: setting one rebuilds every API object of the client, so only a new one is set. */
  private clientToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly auth: HubSpotAuth,
    private readonly budget: ApiBudget,
    private readonly observe: CallObserver = () => {},
  ) {
    this.client = new Client({ basePath: baseUrl.replace(/\/+$/, ''), numberOfApiCallRetries: 0 });
  }

  /**
   * Takes a budget slot now for a call about to follow (the next page of a chain read while this
   * one is on its way), so the call does not wait for the budget's round trip to Redis.
   */
  reserve(priority: Priority = 'backfill', kind: CallKind = 'standard'): BudgetReservation {
    const taken = this.budget.take('hubspot', priority, kind);
    // Awaited by the call that uses it; one left unused (the chain ended) must not count as unhandled.
    taken.catch(() => undefined);
    return { taken };
  }

  /**
   * Runs one API call. `fn` gets the client with a current token and returns the vendor's answer
   * (with headers when the call has a *WithHttpInfo form). A transient failure of a call that may be
   * repeated (`repeatable`: reads, updates, upserts) is sent again a few times at once (retryDecision);
   * each attempt takes its budget.
   */
  async call<T>(operation: string, fn: (client: Client) => Promise<T>, priority: Priority = 'live', kind: CallKind = 'standard', repeatable = true, reserved?: BudgetReservation): Promise<T> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // A reservation taken ahead stands for the first attempt: as it is while fresh, else moved to
      // now (one round trip, nothing counted twice); one that left the window meanwhile is taken anew.
      const slot = attempt === 1 && reserved ? await reserved.taken : undefined;
      const covered = slot !== undefined && (performance.now() - slot.sentAt <= RESERVATION_FRESH_MS || (await this.budget.restamp(slot)));
      if (!covered) await this.budget.take('hubspot', priority, kind);
      const started = Date.now();
      if (this.token === undefined) this.token = await this.auth.accessToken();
      if (this.clientToken !== this.token) {
        this.client.setAccessToken(this.token);
        this.clientToken = this.token;
      }
      try {
        const result = await fn(this.client);
        const headers = (result as Partial<WithHeaders> | undefined)?.headers;
        if (headers && typeof headers === 'object') this.budget.observeHubSpotHeaders(headers);
        this.observe({ system: 'hubspot', operation, ok: true, ms: Date.now() - started });
        return result;
      } catch (err) {
        const error = classifyHubSpotError(err, operation);
        if (error.code === 'AUTH_EXPIRED' && !refreshed) {
          refreshed = true;
          this.token = await this.auth.refresh();
          continue;
        }
        const headers = (err as Partial<WithHeaders>).headers;
        if (headers && typeof headers === 'object') this.budget.observeHubSpotHeaders(headers);
        this.observe({ system: 'hubspot', operation, ok: false, ms: Date.now() - started, code: error.code });
        // A 429 is a call HubSpot refused before doing anything with it: even a creation is sent again
        // (the official client retries nothing here, so this is the only retry it gets inside the job).
        const decision = retryDecision(error, attempt, repeatable || error.code === 'RATE_LIMITED', Math.random, maxInCallWait(priority));
        if (!decision.retry) throw error;
        await new Promise((resolve) => setTimeout(resolve, decision.waitMs));
      }
    }
  }
}
