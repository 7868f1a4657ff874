/**
 * revloop preview on the simulators: a base synced under the shipped mappings, then a changed
 * lifecycle (MQL threshold 50 → 40) and a newly mapped field previewed. The
 * report names who moves from which stage to which, the fields that would change with examples,
 * and nothing is written: no write call reaches either simulator and revloop's own state is as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappings } from '../../src/config/mapping/load.js';
import type { MappingSet } from '../../src/config/mapping/mapping-set.js';
import { RevloopError } from '../../src/platform/errors.js';
import { loadChanged, printPreview } from '../../src/cli/commands/preview.js';
import { isWriteRoute } from '../../src/sandbox/common/call-counter.js';
import { preview, type PreviewReport } from '../../src/worker/preview/run-preview.js';
import { syncBatch } from '../../src/worker/sync/sync-batch.js';
import { tempMappingsDir, shippedText } from '../helpers/mappings.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

let h: SyncHarness;
let changed: MappingSet;
let dir: { dir: string; cleanup(): void };
const PEOPLE = 30;
const score = (i: number) => 5 + 3 * i;

async function stateOfRedis(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await h.redis.redis.keys(`${h.redis.root}*`)) {
    if (key.includes(':budget:')) continue;
    const dump = await h.redis.redis.dumpBuffer(key);
    out.set(key, dump ? dump.toString('base64') : '');
  }
  return out;
}

beforeAll(async () => {
  h = await startSyncHarness();
  const actor = { actor: { source: 'CRM_UI' as const } };
  const ids: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    ids.push(h.hubspot.store.create('contacts', { properties: { email: `p${i}@people${i}.test`, firstname: `P${i}`, lastname: `Person${i}`, company: `Co ${i}`, jobtitle: 'Engineer', hubspotscore: String(score(i)), ...(i < 10 ? { hs_analytics_first_touch_converting_campaign: 'Spring webinar' } : {}) } }, actor).id);
  }
  const sfOnly: string[] = [];
  for (let i = 0; i < 4; i++) sfOnly.push(h.salesforce.store.insert('Lead', { Email: `sf${i}@only${i}.test`, LastName: `Only${i}`, Company: 'Only Co', Title: null }, { origin: 'ui' }));
  await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: ids, salesforceIds: sfOnly, priority: 'live' });
  dir = tempMappingsDir({
    'lifecycle.yaml': shippedText('lifecycle').replace('{ field: hubspot.hubspotscore, gte: 50 }', '{ field: hubspot.hubspotscore, gte: 40 }'),
    'contacts.yaml': `${shippedText('contacts').trimEnd()}\n\n  - hubspot: hs_analytics_first_touch_converting_campaign\n    salesforce: { Lead: Description }\n    rule: always-hubspot\n    hubspot_type: string\n    salesforce_type: textarea\n`,
  });
  const loaded = await loadMappings(dir.dir);
  if (!loaded.set) throw new Error(JSON.stringify(loaded.problems));
  changed = loaded.set;
}, 60_000);
afterAll(async () => {
  dir?.cleanup();
  await h?.close();
});

describe('revloop preview', () => {
  it('reports who would change stage and which fields would change, and writes nothing', async () => {
    const before = await stateOfRedis();
    h.hubspot.counter.reset();
    h.salesforce.counter.reset();
    const reports: PreviewReport[] = [];
    const result = await preview(h.ctx, { changed, pairs: ['contacts'], sample: 10, onReport: (r) => reports.push(r) });

    const impact = result.pairs.contacts;
    if (!impact) throw new Error('no contacts report');
    // Scores 41, 44 and 47 (people 12–14) reach the lowered threshold; 50 and above were MQLs already.
    const mqlNow = Array.from({ length: PEOPLE }, (_, i) => i).filter((i) => score(i) >= 50).length;
    expect(impact.matrix).toEqual({ lead: { lead: PEOPLE - mqlNow - 3 + 4, mql: 3 }, mql: { mql: mqlNow } });
    expect(impact.moving).toBe(3);
    expect(impact.records).toBe(PEOPLE + 4);
    const field = (system: string, name: string) => impact.fields.find((f) => f.system === system && f.field === name);
    expect(field('hubspot', 'lifecyclestage')).toMatchObject({ changes: 3, dropped: 0 });
    expect(field('hubspot', 'lifecyclestage')?.samples[0]).toMatchObject({ now: 'lead', current: null, changed: 'marketingqualifiedlead' });
    expect(field('hubspot', 'revloop_mql_date')?.changes).toBe(3);
    expect(field('salesforce', 'Revloop_MQL_Date__c')).toMatchObject({ object: 'Lead', changes: 3 });
    // The newly mapped campaign reaches the Leads of the ten people who have one.
    expect(field('salesforce', 'Description')).toMatchObject({ object: 'Lead', changes: 10, dropped: 0 });
    expect(field('salesforce', 'Description')?.samples[0]).toMatchObject({ now: null, current: null, changed: 'Spring webinar' });
    expect(impact.fields.filter((f) => f.changes > 0).map((f) => f.field).sort()).toEqual(['Description', 'Revloop_MQL_Date__c', 'lifecyclestage', 'revloop_mql_date', 'revloop_stage']);
    expect(impact.creations).toEqual({});

    // A sample first, then progress, then the whole base.
    expect(reports[0]).toMatchObject({ kind: 'sample', pair: 'contacts' });
    expect(reports.at(-1)).toMatchObject({ kind: 'final', pair: 'contacts', scanned: PEOPLE + 4 });

    // Nothing written anywhere.
    const writes = [...h.hubspot.counter.snapshot(), ...h.salesforce.counter.snapshot()].filter((c) => isWriteRoute(c.route));
    expect(writes).toEqual([]);
    expect(h.hubspot.counter.total + h.salesforce.counter.total).toBeGreaterThan(0);
    expect(await stateOfRedis()).toEqual(before);
  });

  it('stops after the sample when asked', async () => {
    const reports: PreviewReport[] = [];
    const result = await preview(h.ctx, { changed, pairs: ['contacts', 'companies'], sample: 5, sampleOnly: true, unitPages: 1, onReport: (r) => reports.push(r) });
    expect(result.sampled).toBe(true);
    expect(Object.keys(result.pairs)).toEqual(['contacts']);
    expect(reports.filter((r) => r.kind === 'sample')).toHaveLength(1);
    expect(reports.some((r) => r.kind === 'final')).toBe(false);
  });

  it('prints the matrix and the fields, or JSON lines', async () => {
    let text = '';
    const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    await printPreview(h.ctx, changed, { object: 'contacts', sample: '0', sampleOnly: false, json: false }, out, quiet);
    expect(text).toContain('34 records, 3 would change stage');
    expect(text).toMatch(/from \\ to\s+lead\s+mql/);
    expect(text).toMatch(/hubspot\.contacts\.lifecyclestage: 3 records/);
    expect(text).toMatch(/salesforce\.Lead\.Description: 10 records/);

    text = '';
    await printPreview(h.ctx, changed, { object: 'contacts', sample: '0', sampleOnly: false, json: true }, out, quiet);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as PreviewReport);
    expect(lines.map((l) => l.kind)).toEqual(['final']);
    expect(lines[0]?.impact.moving).toBe(3);
  });

  it('refuses a changed directory with errors, naming file and line', async () => {
    const broken = tempMappingsDir({ 'lifecycle.yaml': shippedText('lifecycle').replace('returns_to: mql', 'returns_to: mqll') });
    let err = '';
    const sink = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    try {
      await expect(loadChanged(broken.dir, sink)).rejects.toBeInstanceOf(RevloopError);
      expect(err).toMatch(/lifecycle\.yaml:\d+/);
    } finally {
      broken.cleanup();
    }
  });
});
