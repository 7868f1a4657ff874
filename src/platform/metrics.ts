/**
 * Prometheus metrics (prom-client). Two kinds:
 * - histograms of this process (job duration, API call latency, sync lag), observed as things happen;
 * - values every process shares, read from Redis when /metrics is scraped (jobs and API calls by
 *   outcome, records written, queue depths, dead-letter size, budgets, pauses, lag): right across
 *   several worker processes, whichever server is scraped.
 * Every series of a connection carries its `connection` label.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type System = 'hubspot' | 'salesforce';

/** What a scrape reads from Redis; each collector returns its samples. */
export interface SharedSnapshot {
  apiCalls: Array<{ connection: string; system: System; outcome: 'ok' | 'error'; value: number }>;
  jobs: Array<{ connection: string; name: string; outcome: 'completed' | 'failed'; value: number }>;
  recordsWritten: Array<{ connection: string; value: number }>;
  queueJobs: Array<{ queue: string; state: string; value: number }>;
  deadLetters: Array<{ connection: string; value: number }>;
  budgetRemaining: Array<{ connection: string; system: System; window: string; value: number }>;
  paused: Array<{ connection: string; value: number }>;
  lagSeconds: Array<{ connection: string; value: number }>;
}

export class RevloopMetrics {
  readonly registry = new Registry();
  readonly jobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  readonly apiLatency: Histogram<'system' | 'outcome'>;
  readonly syncLag: Histogram<'connection'>;
  private snapshot: (() => Promise<SharedSnapshot>) | undefined;

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'revloop_process_' });
    this.jobDuration = new Histogram({
      name: 'revloop_job_duration_seconds',
      help: 'Duration of jobs run by this process, by queue, job name and outcome.',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [this.registry],
    });
    this.apiLatency = new Histogram({
      name: 'revloop_api_call_duration_seconds',
      help: 'Latency of HubSpot and Salesforce calls made by this process.',
      labelNames: ['system', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.syncLag = new Histogram({
      name: 'revloop_sync_lag_seconds',
      help: 'Seconds from a change being seen to its batch being synced (batches run by this process).',
      labelNames: ['connection'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
      registers: [this.registry],
    });
    const shared = <T extends keyof SharedSnapshot>(pick: T, fill: (metric: Counter | Gauge, s: SharedSnapshot[T]) => void) => async (metric: Counter | Gauge) => {
      const snap = await this.readSnapshot();
      metric.reset();
      if (snap) fill(metric, snap[pick]);
    };
    const counter = (name: string, help: string, labelNames: string[], collect: (m: Counter) => Promise<void>) =>
      new Counter({ name, help, labelNames, registers: [this.registry], async collect() { await collect(this); } });
    const gauge = (name: string, help: string, labelNames: string[], collect: (m: Gauge) => Promise<void>) =>
      new Gauge({ name, help, labelNames, registers: [this.registry], async collect() { await collect(this); } });
    counter('revloop_api_calls_total', 'HubSpot and Salesforce calls by connection, system and outcome (all processes).', ['connection', 'system', 'outcome'],
      shared('apiCalls', (m, rows) => rows.forEach((r) => (m as Counter).inc({ connection: r.connection, system: r.system, outcome: r.outcome }, r.value))));
    counter('revloop_jobs_total', 'Sync jobs by connection, job name and outcome (all processes).', ['connection', 'name', 'outcome'],
      shared('jobs', (m, rows) => rows.forEach((r) => (m as Counter).inc({ connection: r.connection, name: r.name, outcome: r.outcome }, r.value))));
    counter('revloop_records_written_total', 'Records created or updated in either system (all processes).', ['connection'],
      shared('recordsWritten', (m, rows) => rows.forEach((r) => (m as Counter).inc({ connection: r.connection }, r.value))));
    gauge('revloop_queue_jobs', 'Jobs in each queue by state.', ['queue', 'state'],
      shared('queueJobs', (m, rows) => rows.forEach((r) => (m as Gauge).set({ queue: r.queue, state: r.state }, r.value))));
    gauge('revloop_dead_letters', 'Parked records waiting for a fix or a retry.', ['connection'],
      shared('deadLetters', (m, rows) => rows.forEach((r) => (m as Gauge).set({ connection: r.connection }, r.value))));
    gauge('revloop_budget_remaining', 'API calls left in the budget window.', ['connection', 'system', 'window'],
      shared('budgetRemaining', (m, rows) => rows.forEach((r) => (m as Gauge).set({ connection: r.connection, system: r.system, window: r.window }, r.value))));
    gauge('revloop_connection_paused', '1 while the connection is paused.', ['connection'],
      shared('paused', (m, rows) => rows.forEach((r) => (m as Gauge).set({ connection: r.connection }, r.value))));
    gauge('revloop_lag_seconds', 'Lag of the last synced batch.', ['connection'],
      shared('lagSeconds', (m, rows) => rows.forEach((r) => (m as Gauge).set({ connection: r.connection }, r.value))));
  }

  /** Where the shared values come from (the server sets it; a worker-only process has none). */
  useSnapshot(read: () => Promise<SharedSnapshot>): void {
    this.snapshot = read;
  }

  private pending: Promise<SharedSnapshot | undefined> | undefined;

  /** One Redis read per scrape, shared by every collector of that scrape. */
  private readSnapshot(): Promise<SharedSnapshot | undefined> {
    if (!this.snapshot) return Promise.resolve(undefined);
    this.pending ??= this.snapshot().finally(() => {
      setImmediate(() => (this.pending = undefined));
    });
    return this.pending;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
