/**
 * Live changes on both sides during a chaos run: people edited in HubSpot's and Salesforce's UIs
 * (one field at a time, each value unique) and new people created on either side, at a steady rate,
 * through the simulators' process. A person is edited at most once per `spacingMs`, so the order of
 * two edits is never closer than the systems' clocks can tell apart. Every edit actually applied is
 * kept, in order, for the verdict.
 */
import type { AppliedEdit } from './chaos-verify.js';
import type { Edit, EditResult } from './people-sandbox-process.js';
import { COMPARED_FIELDS, emailOf, type ComparedField } from './people.js';

export interface DriverOptions {
  control: string;
  /** Starting people (indexes 0..people-1); new ones get indexes from `people` on. */
  people: number;
  /** People never edited (the invalid ones). */
  skip: ReadonlySet<number>;
  perSecond: number;
  /** Share of changes that create a new person. */
  createShare: number;
  spacingMs: number;
  seed: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export class EditDriver {
  readonly applied: AppliedEdit[] = [];
  readonly created: number[] = [];
  private seq = 0;
  private valueCounter = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly lastEdit = new Map<number, number>();
  private readonly random: () => number;
  private nextIndex: number;
  failures = 0;
  missing = 0;

  constructor(private readonly o: DriverOptions) {
    this.random = rng(o.seed);
    this.nextIndex = o.people;
  }

  start(): void {
    const tickMs = 100;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += (this.o.perSecond * tickMs) / 1000;
      const n = Math.floor(owed);
      owed -= n;
      if (n > 0) this.inFlight = this.inFlight.then(() => this.send(n));
    }, tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.inFlight;
  }

  private pick(): number | undefined {
    const pool = this.o.people + this.created.length;
    for (let attempt = 0; attempt < 20; attempt++) {
      const k = Math.floor(this.random() * pool);
      const index = k < this.o.people ? k : (this.created[k - this.o.people] as number);
      if (this.o.skip.has(index)) continue;
      if (Date.now() - (this.lastEdit.get(index) ?? 0) < this.o.spacingMs) continue;
      return index;
    }
    return undefined;
  }

  private async send(n: number): Promise<void> {
    const edits: Edit[] = [];
    const meta: Array<AppliedEdit | undefined> = [];
    for (let i = 0; i < n; i++) {
      const side = this.random() < 0.5 ? 'hubspot' : 'salesforce';
      if (this.random() < this.o.createShare) {
        const index = this.nextIndex++;
        edits.push({ kind: 'create', side, index });
        meta.push(undefined);
        this.created.push(index);
        this.lastEdit.set(index, Date.now());
        continue;
      }
      const index = this.pick();
      if (index === undefined) continue;
      const field = (COMPARED_FIELDS[Math.floor(this.random() * COMPARED_FIELDS.length)] as (typeof COMPARED_FIELDS)[number]).hubspot as ComparedField;
      const value = `c${this.valueCounter++}-${side === 'hubspot' ? 'hs' : 'sf'}`;
      edits.push({ kind: 'update', side, email: emailOf(index), field, value });
      meta.push({ seq: 0, index, side, field, value, at: Date.now() });
      this.lastEdit.set(index, Date.now());
    }
    if (edits.length === 0) return;
    try {
      const res = await fetch(`${this.o.control}/edits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(edits) });
      if (!res.ok) throw new Error(`${res.status}`);
      const result = (await res.json()) as EditResult;
      const missed = new Set(result.missing.map((m) => (m.kind === 'update' ? `${m.email}|${m.field}|${m.value}` : '')));
      this.missing += result.missing.length;
      for (const m of meta) {
        if (!m || missed.has(`${emailOf(m.index)}|${m.field}|${m.value}`)) continue;
        this.applied.push({ ...m, seq: this.seq++, at: Date.now() });
      }
    } catch {
      // The simulators' process answers on loopback; a failure here is the harness's, counted apart.
      this.failures += 1;
    }
  }
}
