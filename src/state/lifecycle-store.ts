/**
 * Lifecycle state in Redis: where each person stands (stage, entry times, detour flags, SLA clock),
 * the stream of every transition (connection, person, from, to, at, cause, actor), and the SLA
 * timers, due times in a sorted set a scheduled job works through (so they survive restarts and
 * tests can drive them with their own clock). The canonical stage is also written on the HubSpot
 * contact (revloop_stage, revloop_<stage>_date), so it survives the loss of Redis.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { LifecycleState } from '../core/lifecycle/evaluate.js';
import type { SlaClock, SlaPhase } from '../core/lifecycle/sla.js';
import type { Keyspace } from '../platform/redis.js';
import { addToStream } from './hash-batch.js';

export const TRANSITIONS_MAX = 5_000_000;

const clockSchema = z.object({ segment: z.string(), startedAt: z.number(), acceptBy: z.number(), escalateAt: z.number().optional(), recycleAt: z.number().optional() });

const stateSchema = z.object({
  stage: z.string().optional(),
  enteredAt: z.record(z.string(), z.number()),
  armed: z.boolean().optional(),
  blocked: z.array(z.string()).optional(),
  clock: clockSchema.optional(),
  /** The Salesforce record the person was last evaluated with. */
  salesforceId: z.string().optional(),
});

export type StoredLifecycle = LifecycleState & { clock?: SlaClock; salesforceId?: string };

export interface TransitionEvent {
  person: string;
  salesforceId?: string | undefined;
  from: string | undefined;
  to: string;
  at: number;
  cause: string;
  actor: string;
  criterion?: string | undefined;
  reason?: string | undefined;
  segment?: string | undefined;
}

export interface DueTimer {
  member: string;
  person: string;
  phase: SlaPhase;
  startedAt: number;
  at: number;
}

/** A timer in the due set: who, which phase, and the clock it belongs to (read back by `due`). */
function timerMember(person: string, phase: SlaPhase, startedAt: number): string {
  return `${person}|${phase}|${startedAt}`;
}

export class LifecycleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private stateKey(person: string): string {
    return this.keys.key('lifecycle', person);
  }

  get transitionsKey(): string {
    return this.keys.key('transitions');
  }

  private get timersKey(): string {
    return this.keys.key('sla', 'due');
  }

  async get(people: readonly string[]): Promise<Map<string, StoredLifecycle>> {
    const out = new Map<string, StoredLifecycle>();
    if (people.length === 0) return out;
    const raw = await this.redis.mget(...people.map((p) => this.stateKey(p)));
    people.forEach((p, i) => {
      const value = raw[i];
      if (!value) return;
      const parsed = stateSchema.safeParse(JSON.parse(value));
      if (parsed.success) out.set(p, { ...parsed.data, stage: parsed.data.stage });
    });
    return out;
  }

  async set(states: ReadonlyMap<string, StoredLifecycle>): Promise<void> {
    if (states.size === 0) return;
    const args: string[] = [];
    for (const [person, state] of states) args.push(this.stateKey(person), JSON.stringify(state));
    // One command: every key shares the connection's hash tag.
    await this.redis.mset(...args);
  }

  async record(events: readonly TransitionEvent[]): Promise<void> {
    if (events.length === 0) return;
    const entries: string[][] = [];
    for (const e of events) {
      const fields: string[] = ['person', e.person, 'to', e.to, 'at', String(e.at), 'cause', e.cause, 'actor', e.actor];
      if (e.from) fields.push('from', e.from);
      if (e.salesforceId) fields.push('salesforce', e.salesforceId);
      if (e.criterion) fields.push('criterion', e.criterion);
      if (e.reason) fields.push('reason', e.reason);
      if (e.segment) fields.push('segment', e.segment);
      entries.push(fields);
    }
    // In order, a few hundred to a Redis call (a command each would cost the worker more than the entries themselves).
    await addToStream(this.redis, this.transitionsKey, TRANSITIONS_MAX, entries);
  }

  /** Transitions, oldest first, from stream id `after` (exclusive); for the KPIs and the timeline. */
  async transitions(after = '-', count = 10_000): Promise<Array<TransitionEvent & { id: string }>> {
    const start = after === '-' ? '-' : `(${after}`;
    const raw = await this.redis.xrange(this.transitionsKey, start, '+', 'COUNT', count);
    return raw.map(([id, fields]) => {
      const m: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) m[fields[i] as string] = fields[i + 1] as string;
      return {
        id,
        person: m.person ?? '',
        salesforceId: m.salesforce,
        from: m.from,
        to: m.to ?? '',
        at: Number(m.at),
        cause: m.cause ?? '',
        actor: m.actor ?? '',
        criterion: m.criterion,
        reason: m.reason,
        segment: m.segment,
      };
    });
  }

  async schedule(person: string, timers: ReadonlyArray<{ phase: SlaPhase; at: number }>, startedAt: number): Promise<void> {
    await this.retime([], [{ person, timers, startedAt }]);
  }

  /** Cancels and schedules the timers of many people in one round trip (each person's cancel before its schedule). */
  async retime(cancel: ReadonlyArray<{ person: string; startedAt: number }>, schedule: ReadonlyArray<{ person: string; timers: ReadonlyArray<{ phase: SlaPhase; at: number }>; startedAt: number }>): Promise<void> {
    const pipe = this.redis.pipeline();
    const members = cancel.flatMap((c) => (['breach', 'escalate', 'recycle'] as const).map((phase) => timerMember(c.person, phase, c.startedAt)));
    if (members.length > 0) pipe.zrem(this.timersKey, ...members);
    const due = schedule.flatMap((s) => s.timers.flatMap((t) => [t.at, timerMember(s.person, t.phase, s.startedAt)]));
    if (due.length > 0) pipe.zadd(this.timersKey, ...due);
    if (pipe.length > 0) await pipe.exec();
  }

  async due(now: number, limit = 500): Promise<DueTimer[]> {
    const raw = await this.redis.zrangebyscore(this.timersKey, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit);
    const out: DueTimer[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const member = raw[i] as string;
      const [person, phase, startedAt] = member.split('|');
      out.push({ member, person: person ?? '', phase: phase as SlaPhase, startedAt: Number(startedAt), at: Number(raw[i + 1]) });
    }
    return out;
  }

  async done(member: string): Promise<void> {
    await this.redis.zrem(this.timersKey, member);
  }

  async pending(): Promise<number> {
    return this.redis.zcard(this.timersKey);
  }
}
