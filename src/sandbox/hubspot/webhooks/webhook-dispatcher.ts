/**
 * Delivers webhook events the way HubSpot does: events are collected for a short window and
 * POSTed as JSON arrays of at most 100, signed (v1 and v3 headers), at most
 * `maxConcurrentRequests` at a time; a delivery that gets no 2xx (or no answer) is retried with
 * exponential backoff, `attemptNumber` counting up, until the attempts run out. The fault
 * injector may drop a delivery silently. `idle()` resolves once nothing is queued, waiting for a
 * retry, or in flight.
 */
import type { FaultInjector } from '../../common/faults.js';
import type { HubSpotStore } from '../store/hubspot-store.js';
import type { StoreEvent } from '../store/store-events.js';
import { signatureV1, signatureV3 } from './signature.js';
import { webhookConfigSchema, type WebhookConfig, type WebhookConfigInput, type WebhookSubscription } from './webhook-config.js';
import { matches, toWebhookEvent, type WebhookEvent } from './webhook-events.js';

export interface DeliveryRecord {
  /** 0 for the first try. */
  attemptNumber: number;
  eventIds: number[];
  outcome: 'delivered' | 'failed' | 'dropped' | 'no-target';
  /** HTTP status, when an answer came. */
  status?: number;
  error?: string;
  /** True when no further attempt follows. */
  final: boolean;
  at: number;
}

export interface WebhookStats {
  queued: number;
  inFlight: number;
  waitingRetry: number;
  delivered: number;
  failed: number;
  dropped: number;
  attempts: number;
}

export interface WebhookDispatcherSettings {
  store: HubSpotStore;
  faults: FaultInjector;
  now: () => number;
  portalId: number;
  appId: number;
  clientSecret: string;
}

const MAX_LOG = 2000;
const SUBSCRIPTION_ID_BASE = 3_100_001;
const EVENT_ID_BASE = 1_000_000_001;

export class WebhookDispatcher {
  private settings: WebhookConfig = webhookConfigSchema.parse({});
  private subscriptions: WebhookSubscription[] = [];
  private queue: WebhookEvent[] = [];
  /** Batches waiting for a free delivery slot. */
  private ready: Array<{ batch: WebhookEvent[]; attemptNumber: number }> = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private nextEventId = EVENT_ID_BASE;
  private readonly log: DeliveryRecord[] = [];
  private readonly counts = { delivered: 0, failed: 0, dropped: 0, attempts: 0 };
  private idleWaiters: Array<() => void> = [];
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly env: WebhookDispatcherSettings,
    config: WebhookConfigInput = {},
  ) {
    this.configure(config);
    this.unsubscribe = env.store.onEvent((event) => this.accept(event));
  }

  /** Replaces the configuration (missing keys get defaults). Subscriptions get new ids. */
  configure(input: WebhookConfigInput): WebhookConfig {
    this.settings = webhookConfigSchema.parse(input);
    this.subscriptions = this.settings.subscriptions.map((s, i) => ({
      id: SUBSCRIPTION_ID_BASE + i,
      subscriptionType: s.subscriptionType,
      ...(s.propertyName !== undefined ? { propertyName: s.propertyName } : {}),
      active: s.active,
    }));
    return this.config;
  }

  get config(): WebhookConfig {
    return { ...this.settings, subscriptions: [...this.settings.subscriptions] };
  }

  /** Subscriptions with their ids (as they appear in events). */
  get activeSubscriptions(): WebhookSubscription[] {
    return this.subscriptions.map((s) => ({ ...s }));
  }

  /** Recent delivery attempts, oldest first. */
  get deliveries(): DeliveryRecord[] {
    return [...this.log];
  }

  stats(): WebhookStats {
    return {
      queued: this.queue.length + this.ready.reduce((n, r) => n + r.batch.length, 0),
      inFlight: this.inFlight,
      waitingRetry: this.retryTimers.size,
      ...this.counts,
    };
  }

  /** Resolves when nothing is queued, waiting for a retry, or being delivered. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Sends whatever is queued now instead of waiting for the batch window. */
  flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.queue.length > 0) {
      this.ready.push({ batch: this.queue.splice(0, this.settings.maxBatchSize), attemptNumber: 0 });
    }
    this.pump();
  }

  /** Starts waiting batches while delivery slots are free. */
  private pump(): void {
    while (this.ready.length > 0 && this.inFlight < this.settings.maxConcurrentRequests && !this.closed) {
      const next = this.ready.shift();
      if (next !== undefined) void this.deliver(next.batch, next.attemptNumber);
    }
    this.settle();
  }

  /** Stops timers and forgets queued events. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.queue = [];
    this.ready = [];
    this.settle();
  }

  private accept(event: StoreEvent): void {
    if (this.closed) return;
    for (const subscription of this.subscriptions) {
      if (!matches(subscription, event)) continue;
      this.queue.push(
        toWebhookEvent(event, subscription, { eventId: this.nextEventId++, portalId: this.env.portalId, appId: this.env.appId }),
      );
    }
    if (this.queue.length >= this.settings.maxBatchSize) this.flush();
    else if (this.queue.length > 0 && this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), this.settings.batchWindowMs);
    }
  }

  private async deliver(batch: WebhookEvent[], attemptNumber: number): Promise<void> {
    const target = this.settings.targetUrl;
    const eventIds = batch.map((e) => e.eventId);
    if (target === null) {
      this.record({ attemptNumber, eventIds, outcome: 'no-target', final: true, at: this.env.now() });
      return;
    }
    if (this.env.faults.dropWebhook()) {
      this.counts.dropped += 1;
      this.record({ attemptNumber, eventIds, outcome: 'dropped', final: true, at: this.env.now() });
      return;
    }
    const body = JSON.stringify(batch.map((e) => ({ ...e, attemptNumber })));
    const timestamp = this.env.now();
    const secret = this.env.clientSecret;
    this.inFlight += 1;
    this.counts.attempts += 1;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (revloop sandbox) - WebhooksExecutor',
          'X-HubSpot-Signature': signatureV1(secret, body),
          'X-HubSpot-Signature-Version': 'v1',
          'X-HubSpot-Signature-v3': signatureV3(secret, 'POST', target, body, timestamp),
          'X-HubSpot-Request-Timestamp': String(timestamp),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      this.inFlight -= 1;
    }
    const ok = status !== undefined && status >= 200 && status < 300;
    const last = attemptNumber + 1 >= this.settings.maxAttempts;
    if (ok) this.counts.delivered += 1;
    else if (last) this.counts.failed += 1;
    this.record({
      attemptNumber,
      eventIds,
      outcome: ok ? 'delivered' : 'failed',
      ...(status !== undefined ? { status } : {}),
      ...(error !== undefined ? { error } : {}),
      final: ok || last,
      at: this.env.now(),
    });
    if (!ok && !last && !this.closed) {
      const delay = this.settings.retryBaseMs * 2 ** attemptNumber;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.ready.push({ batch, attemptNumber: attemptNumber + 1 });
        this.pump();
      }, delay);
      this.retryTimers.add(timer);
    }
    this.pump();
  }

  private record(entry: DeliveryRecord): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  private isIdle(): boolean {
    return (
      this.queue.length === 0 &&
      this.ready.length === 0 &&
      this.flushTimer === undefined &&
      this.inFlight === 0 &&
      this.retryTimers.size === 0
    );
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
