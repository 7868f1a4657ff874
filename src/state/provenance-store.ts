/**
 * Field provenance: for every synced field of a record, who last wrote it (a person or a workflow in
 * HubSpot, a person or an integration in Salesforce, revloop carrying the other side's value), when,
 * and the value before. Kept per record and side, latest entry per field, for the record timeline.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keyspace } from '../platform/redis.js';

const MAX_VALUE = 200;

export const provenanceSchema = z.object({
  value: z.string().nullable(),
  previous: z.string().nullable(),
  at: z.number(),
  /** person | workflow | integration | revloop | form | import | system */
  actor: z.string(),
  /** The vendor's own name for the writer (changeSource, changeOrigin, user id). */
  source: z.string(),
});

export type Provenance = z.infer<typeof provenanceSchema>;
export type ProvenanceSide = 'hubspot' | 'salesforce';

function clip(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v;
}

export class ProvenanceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private key(side: ProvenanceSide, id: string): string {
    return this.keys.key('provenance', side, id);
  }

  /** Records writes to fields of records; each entry keeps the value it replaces. */
  async record(side: ProvenanceSide, writes: ReadonlyArray<{ id: string; field: string; value: string | null; at: number; actor: string; source: string }>): Promise<void> {
    if (writes.length === 0) return;
    // One HMGET and one HSET per record, not per field: a batch writes many fields of each record.
    const byRecord = new Map<string, Array<(typeof writes)[number]>>();
    for (const w of writes) {
      const list = byRecord.get(w.id);
      if (list) list.push(w);
      else byRecord.set(w.id, [w]);
    }
    const records = [...byRecord.entries()];
    const previous = (await this.redis.pipeline(records.map(([id, list]) => ['hmget', this.key(side, id), ...list.map((w) => w.field)])).exec()) ?? [];
    const pipe = this.redis.pipeline();
    records.forEach(([id, list], i) => {
      const raws = (previous[i]?.[1] ?? []) as Array<string | null>;
      const values: Record<string, string> = {};
      let any = false;
      list.forEach((w, j) => {
        const raw = raws[j];
        const prior = typeof raw === 'string' ? provenanceSchema.safeParse(JSON.parse(raw)) : undefined;
        // An older event arriving late does not replace a newer entry.
        if (prior?.success && prior.data.at > w.at) return;
        const entry: Provenance = { value: clip(w.value), previous: prior?.success ? prior.data.value : null, at: w.at, actor: w.actor, source: w.source };
        values[w.field] = JSON.stringify(entry);
        any = true;
      });
      if (any) pipe.hset(this.key(side, id), values);
    });
    await pipe.exec();
  }

  async get(side: ProvenanceSide, id: string): Promise<Record<string, Provenance>> {
    const raw = await this.redis.hgetall(this.key(side, id));
    const out: Record<string, Provenance> = {};
    for (const [field, value] of Object.entries(raw)) {
      const parsed = provenanceSchema.safeParse(JSON.parse(value));
      if (parsed.success) out[field] = parsed.data;
    }
    return out;
  }

  /** The latest provenance of every field of several records (one round trip). */
  async current(side: ProvenanceSide, ids: readonly string[]): Promise<Map<string, Record<string, Provenance>>> {
    const out = new Map<string, Record<string, Provenance>>();
    if (ids.length === 0) return out;
    const results = await this.redis.pipeline(ids.map((id) => ['hgetall', this.key(side, id)])).exec();
    ids.forEach((id, i) => {
      const raw = (results?.[i]?.[1] ?? {}) as Record<string, string>;
      const entries: Record<string, Provenance> = {};
      for (const [field, value] of Object.entries(raw)) {
        const parsed = provenanceSchema.safeParse(JSON.parse(value));
        if (parsed.success) entries[field] = parsed.data;
      }
      if (Object.keys(entries).length > 0) out.set(id, entries);
    });
    return out;
  }
}

/** What kind of writer a HubSpot change source is. */
export function hubspotActor(changeSource: string | undefined): string {
  switch (changeSource) {
    case 'CRM_UI':
    case 'CRM_UI_BULK_ACTION':
    case 'MOBILE_IOS':
    case 'MOBILE_ANDROID':
    case 'SALES':
      return 'person';
    case 'AUTOMATION_PLATFORM':
    case 'AUTOMATION':
    case 'WORKFLOWS':
      return 'workflow';
    case 'FORM':
      return 'form';
    case 'IMPORT':
      return 'import';
    case 'INTEGRATION':
    case 'API':
      return 'integration';
    default:
      return 'system';
  }
}
