/**
 * The audit log of a connection: deletions, merges, relinks, pauses and other decisions revloop took,
 * newest first, bounded (a Redis stream trimmed to the last entries).
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../platform/redis.js';

export const AUDIT_MAX = 50_000;

export interface AuditEntry {
  at: number;
  /** delete | unlink | merge | relink | conversion | pause | resume | park ... */
  action: string;
  /** The records concerned, as "<system>:<object>:<id>". */
  records: string[];
  message: string;
}

export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private get key(): string {
    return this.keys.key('audit');
  }

  async add(entry: AuditEntry): Promise<void> {
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(AUDIT_MAX), '*', 'at', String(entry.at), 'action', entry.action, 'records', entry.records.join(' '), 'message', entry.message);
  }

  async recent(count = 100, record?: string): Promise<AuditEntry[]> {
    const raw = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', record ? Math.max(count * 20, 1000) : count);
    const out: AuditEntry[] = [];
    for (const [, fields] of raw) {
      const map: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
      const entry: AuditEntry = { at: Number(map.at), action: map.action ?? '', records: (map.records ?? '').split(' ').filter(Boolean), message: map.message ?? '' };
      if (!record || entry.records.includes(record)) out.push(entry);
      if (out.length >= count) break;
    }
    return out;
  }
}
