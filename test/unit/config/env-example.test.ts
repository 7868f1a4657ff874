/**
 * `.env.example`, which admins copy for docker compose, names only variables revloop reads, and once
 * its required blanks are filled in, it starts revloop.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from '../../../src/config/env.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', '..', '.env.example'), 'utf8');
const lines = text.split('\n').map((line, i) => ({ line: i + 1, text: line }));

describe('.env.example', () => {
  it('names only variables revloop reads', () => {
    const known = new Set(Object.keys(envSchema.shape));
    const unknown = lines
      .map((l) => ({ ...l, name: /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(l.text)?.[1] }))
      .filter((l) => l.name !== undefined && !known.has(l.name))
      .map((l) => `.env.example:${l.line}: ${l.name}`);
    expect(unknown).toEqual([]);
  });

  it('starts revloop once its blanks are filled in', () => {
    const env: Record<string, string> = {};
    for (const { text: line } of lines) {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m) env[m[1] as string] = m[2] as string;
    }
    const filled = { ...env, REVLOOP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), REVLOOP_ADMIN_TOKEN: 'a'.repeat(32), HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret-123', HUBSPOT_APP_ID: '900', SALESFORCE_CLIENT_ID: 'id', SALESFORCE_CLIENT_SECRET: 'secret-123' };
    const blanks = Object.entries(env).filter(([, v]) => v === '').map(([k]) => k);
    expect(blanks.every((k) => k in filled && filled[k as keyof typeof filled] !== '')).toBe(true);
    expect(parseEnv(filled).problems).toEqual([]);
  });
});
