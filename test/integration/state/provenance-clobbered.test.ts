/**
 * The provenance store catches a change that revloop's write, planned from values read before it,
 * overwrote: whichever of the two entries (the change's, revloop's write) is recorded second finds it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/platform/redis.js';
import { decodeProvenance, encodeProvenance, ProvenanceStore, type Provenance, type ProvenanceWrite } from '../../../src/state/provenance-store.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let ctx: RedisTestContext;
let store: ProvenanceStore;

beforeEach(async () => {
  ctx = await useRedis('provenance');
  store = new ProvenanceStore(ctx.redis, new Keyspace('c', ctx.root));
});

afterEach(async () => {
  await ctx.cleanup();
});

const rep = (value: string, at: number): ProvenanceWrite => ({ id: '00Q1', field: 'Title', value, at, actor: 'person', source: 'salesforce:005:ui' });
const revloop = (value: string, at: number, basis: number): ProvenanceWrite => ({ id: '00Q1', field: 'Title', value, at, actor: 'revloop', source: 'revloop:from-hubspot:contacts:501', basis });

describe('overwritten changes', () => {
  it("finds a change recorded before revloop's write that was planned without it", async () => {
    expect(await store.record('salesforce', [rep('Director', 2_000)])).toEqual([]);
    const found = await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    expect(found.map((f) => f.clobbered)).toEqual([{ value: 'Director', at: 2_000, actor: 'person', source: 'salesforce:005:ui', over: 'Manager' }]);
    const waiting = await store.clobbered('salesforce', ['00Q1', '00Q2']);
    expect([...waiting.keys()]).toEqual(['00Q1']);
    expect(waiting.get('00Q1')?.[0]?.clobbered.value).toBe('Director');
    // revloop's entry is still the field's provenance (it holds revloop's value now).
    expect((await store.get('salesforce', '00Q1')).Title).toMatchObject({ value: 'Manager', actor: 'revloop', basis: 1_000 });
  });

  it("finds a change whose event arrives after revloop's write (a listener behind)", async () => {
    await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    const found = await store.record('salesforce', [rep('Director', 2_000)]);
    expect(found.map((f) => [f.clobbered.value, f.clobbered.over])).toEqual([['Director', 'Manager']]);
    expect((await store.get('salesforce', '00Q1')).Title?.value).toBe('Manager');
  });

  it.each([
    ['a change read before the write was planned', rep('Director', 500), revloop('Director', 3_000, 1_000)],
    ['a change older than the basis, different value', rep('Director', 500), revloop('Manager', 3_000, 1_000)],
    ['a change after the basis with the value revloop wrote', rep('Manager', 2_000), revloop('Manager', 3_000, 1_000)],
    ['a write without a basis', rep('Director', 2_000), { ...revloop('Manager', 3_000, 0), basis: undefined }],
  ])('finds nothing for %s', async (_name, change, write) => {
    expect(await store.record('salesforce', [change])).toEqual([]);
    expect(await store.record('salesforce', [write])).toEqual([]);
    expect((await store.clobbered('salesforce', ['00Q1'])).size).toBe(0);
  });

  it("finds another revloop job's write that a write planned before it landed over, dated at that write's basis", async () => {
    // Live sync carries "Director" (read at 2,000, done at 2,500); a backfill unit planned at 1,000 lands "Manager" at 3,000.
    expect(await store.record('salesforce', [{ ...revloop('Director', 2_400, 2_000), pending: true }])).toEqual([]);
    expect(await store.record('salesforce', [revloop('Director', 2_500, 2_000)])).toEqual([]);
    const found = await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    expect(found.map((f) => f.clobbered)).toEqual([{ value: 'Director', at: 2_000, actor: 'revloop', source: 'revloop:from-hubspot:contacts:501', over: 'Manager' }]);
  });

  it("finds another revloop job's write recorded after the pending entry of a write planned before it", async () => {
    await store.record('salesforce', [{ ...revloop('Manager', 1_500, 1_000), pending: true }]);
    // The other job's entry arrives later but was committed (at) before the pending write's entry: the pending write overwrote it.
    const found = await store.record('salesforce', [revloop('Director', 1_200, 1_100)]);
    expect(found.map((f) => [f.clobbered.value, f.clobbered.at, f.clobbered.over])).toEqual([['Director', 1_100, 'Manager']]);
  });

  it.each([
    ["a job's own pending entry and its write done", { ...revloop('Manager', 2_900, 1_000), pending: true }, revloop('Manager', 3_000, 1_000)],
    ['another revloop write recorded before the basis', revloop('Director', 900, 800), revloop('Manager', 3_000, 1_000)],
    ['another revloop write of the same value', revloop('Manager', 2_000, 1_500), revloop('Manager', 3_000, 1_000)],
    ['a write planned after the other landed', revloop('Director', 2_000, 1_500), revloop('Manager', 3_000, 2_500)],
  ])('finds no revloop write overwritten for %s', async (_name, first, second) => {
    expect(await store.record('salesforce', [first])).toEqual([]);
    expect(await store.record('salesforce', [second])).toEqual([]);
  });

  it("finds a change arriving late against a write's pending entry (a job cut off after sending it)", async () => {
    await store.record('salesforce', [rep('Analyst', 100)]);
    await store.record('salesforce', [{ ...revloop('Manager', 3_000, 1_000), pending: true }]);
    const found = await store.record('salesforce', [rep('Director', 2_000)]);
    expect(found.map((f) => [f.clobbered.value, f.clobbered.over])).toEqual([['Director', 'Manager']]);
  });

  it('replaces a pending entry with the write done, keeping the value from before it', async () => {
    await store.record('salesforce', [rep('Analyst', 100)]);
    await store.record('salesforce', [{ ...revloop('Manager', 3_000, 1_000), pending: true }]);
    await store.record('salesforce', [revloop('Manager', 3_100, 1_000)]);
    const entry = (await store.get('salesforce', '00Q1')).Title;
    expect(entry).toMatchObject({ value: 'Manager', previous: 'Analyst', at: 3_100 });
    expect(entry?.pending).toBeUndefined();
  });

  it('finds nothing for a change made after the write', async () => {
    await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    expect(await store.record('salesforce', [rep('Director', 4_000)])).toEqual([]);
    expect((await store.get('salesforce', '00Q1')).Title?.value).toBe('Director');
  });

  it('settles exactly the entry it was given; one recorded since stays', async () => {
    await store.record('salesforce', [rep('Director', 2_000)]);
    const [first] = await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    await store.record('salesforce', [rep('VP', 3_500)]);
    const [second] = await store.record('salesforce', [revloop('Manager', 5_000, 3_200)]);
    expect(second?.clobbered.value).toBe('VP');
    await store.settle([first!]);
    expect((await store.clobbered('salesforce', ['00Q1'])).get('00Q1')?.map((e) => e.clobbered.value)).toEqual(['VP']);
    await store.settle([second!]);
    expect((await store.clobbered('salesforce', ['00Q1'])).size).toBe(0);
    // Settled records leave the index: the next batch asks with one command.
    expect(await ctx.redis.zcard(new Keyspace('c', ctx.root).key('clobbered-index', 'salesforce'))).toBe(0);
  });

  it('finds changes stored by a version without the index (indexed once, on first use)', async () => {
    const keys = new Keyspace('c', ctx.root);
    const entry = JSON.stringify({ value: 'Director', at: 2_000, actor: 'person', source: 'salesforce:005:ui', over: 'Manager' });
    await ctx.redis.hset(keys.key('clobbered', 'salesforce', '00Q7'), 'Title', entry);
    await ctx.redis.hset(keys.key('clobbered', 'hubspot', '701'), 'jobtitle', entry);
    const fresh = new ProvenanceStore(ctx.redis, keys);
    expect((await fresh.clobbered('salesforce', ['00Q1', '00Q7'])).get('00Q7')?.map((e) => e.clobbered.value)).toEqual(['Director']);
    expect([...(await fresh.clobbered('hubspot', ['700', '701'])).keys()]).toEqual(['701']);
    expect(await ctx.redis.zrange(keys.key('clobbered-index', 'salesforce'), 0, -1)).toEqual(['00Q7']);
  });
});

describe('stored entries', () => {
  const keys = () => new Keyspace('c', ctx.root);

  it.each<[string, Provenance]>([
    ["a person's change", { value: 'Director', previous: null, at: 2_000, actor: 'person', source: 'salesforce:005:ui' }],
    ["revloop's write with its basis", { value: 'Manager', previous: 'Director', at: 3_000, actor: 'revloop', source: 'revloop:from-hubspot:contacts:501', basis: 1_000 }],
    ['a pending write', { value: null, previous: 'Manager', at: 3_000, actor: 'revloop', source: 'revloop:from-hubspot:contacts:501', basis: 1_000, pending: true }],
    ['a value with quotes, commas and brackets', { value: 'say "hi", [x]', previous: '{"a":1}', at: 1, actor: 'form', source: 'FORM' }],
  ])('round-trips %s, in fewer bytes than the object form', (_name, entry) => {
    const raw = encodeProvenance(entry);
    expect(decodeProvenance(raw)).toEqual(entry);
    expect(raw.length).toBeLessThan(JSON.stringify(entry).length * 0.75);
  });

  it('writes exactly the JSON array, whatever the text holds (controls, unicode, a pending write without a basis)', () => {
    const entries: Provenance[] = [
      { value: 'tab\there\nline \u0001 é 😀 \\ "q"', previous: null, at: 1_796_000_000_123, actor: 'person', source: 'CRM_UI' },
      { value: null, previous: null, at: 0, actor: 'revloop', source: 'revloop:from-salesforce:Lead:00Q1', pending: true },
      { value: '', previous: '', at: 7, actor: 'a"b', source: '\u2028', basis: 0 },
      { value: 'x', previous: 'y', at: 9_000, actor: 'revloop', source: 'revloop:from-hubspot:contacts:5"0\u20281', basis: 9_500 },
      { value: 'x', previous: null, at: 9_000, actor: 'revloop', source: 'revloop:by-hand', basis: 8_000 },
    ];
    for (const e of entries) {
      const carried = e.actor === 'revloop' ? /^revloop:from-(hubspot|salesforce):(.*)$/s.exec(e.source) : null;
      const row: unknown[] = carried ? [e.value, e.previous, e.at, carried[1] === 'hubspot' ? 1 : 2, carried[2]] : [e.value, e.previous, e.at, e.actor, e.source];
      if (e.basis !== undefined || e.pending) row.push(e.basis === undefined ? null : carried ? e.at - e.basis : e.basis);
      if (e.pending) row.push(1);
      expect(encodeProvenance(e)).toBe(JSON.stringify(row));
      expect(decodeProvenance(encodeProvenance(e))).toEqual(e);
    }
  });

  it("stores revloop's carried writes without repeating who wrote them, and the basis as an age", () => {
    const entry: Provenance = { value: 'Manager', previous: 'Director', at: 1_796_027_528_864, actor: 'revloop', source: 'revloop:from-hubspot:contacts:10002001', basis: 1_796_027_526_582 };
    expect(encodeProvenance(entry)).toBe('["Manager","Director",1796027528864,1,"contacts:10002001",2282]');
    expect(encodeProvenance({ ...entry, source: 'revloop:from-salesforce:Lead:00Q5g00000000mPEAQ', pending: true })).toBe('["Manager","Director",1796027528864,2,"Lead:00Q5g00000000mPEAQ",2282,1]');
    // What the previous version stored (actor and source in full, the basis as a time) reads the same.
    expect(decodeProvenance('["Manager","Director",1796027528864,"revloop","revloop:from-hubspot:contacts:10002001",1796027526582]')).toEqual(entry);
    // An actor code that is not one is a damaged entry.
    expect(decodeProvenance('["Manager",null,1,3,"contacts:1"]')).toBeUndefined();
  });

  it('reads entries stored as objects by earlier versions, and still finds a change overwritten against one', async () => {
    const legacy = { value: 'Director', previous: 'Analyst', at: 2_000, actor: 'person', source: 'salesforce:005:ui' };
    await ctx.redis.hset(keys().key('provenance', 'salesforce', '00Q1'), 'Title', JSON.stringify(legacy));
    expect((await store.get('salesforce', '00Q1')).Title).toEqual(legacy);
    expect((await store.current('salesforce', ['00Q1'])).get('00Q1')?.Title).toEqual(legacy);
    const found = await store.record('salesforce', [revloop('Manager', 3_000, 1_000)]);
    expect(found.map((f) => [f.clobbered.value, f.clobbered.over])).toEqual([['Director', 'Manager']]);
    // The new entry is stored compact, and keeps the value before it.
    const raw = await ctx.redis.hget(keys().key('provenance', 'salesforce', '00Q1'), 'Title');
    expect(raw?.startsWith('[')).toBe(true);
    expect((await store.get('salesforce', '00Q1')).Title).toMatchObject({ value: 'Manager', previous: 'Director', basis: 1_000 });
  });

  it('skips a damaged entry instead of failing the whole record', async () => {
    await ctx.redis.hset(keys().key('provenance', 'salesforce', '00Q1'), 'Title', '[1,2', 'Phone', '["x",null,"soon","person","ui"]', 'Email', encodeProvenance({ value: 'a@b.co', previous: null, at: 5, actor: 'person', source: 'ui' }));
    expect(Object.keys(await store.get('salesforce', '00Q1'))).toEqual(['Email']);
    expect(decodeProvenance('{"value":1}')).toBeUndefined();
  });
});
