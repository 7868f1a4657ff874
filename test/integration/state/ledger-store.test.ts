/**
 * The field ledger round-trips through Redis; blank fingerprints and a Salesforce fingerprint equal to
 * the HubSpot one are stored in shorthand, and entries stored in full by earlier versions still read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/core/sync/values.js';
import { startPrivateRedis } from '../../../src/platform/local-redis.js';
import { createRedis, Keyspace } from '../../../src/platform/redis.js';
import { LedgerStore, packLedgerEntry, unpackLedgerEntry, type RecordLedger } from '../../../src/state/ledger-store.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let ctx: RedisTestContext;
let ledger: LedgerStore;
const keys = () => new Keyspace('c', ctx.root);

beforeEach(async () => {
  ctx = await useRedis('ledger');
  ledger = new LedgerStore(ctx.redis, keys());
});

afterEach(async () => {
  await ctx.cleanup();
});

const blank = fingerprint('');
const ann = fingerprint('ann');
const anna = fingerprint('anna');
const at = 1_796_000_000_000;

describe('field ledger', () => {
  it.each([
    ['both blank', { hubspot: blank, salesforce: blank, at }, '_,=,'],
    ['equal values', { hubspot: ann, salesforce: ann, at }, `${ann},=,`],
    ['blank in HubSpot only', { hubspot: blank, salesforce: ann, at }, `_,${ann},`],
    ['blank in Salesforce only', { hubspot: ann, salesforce: blank, at }, `${ann},_,`],
    ['two values', { hubspot: ann, salesforce: anna, at }, `${ann},${anna},`],
  ])('packs %s in shorthand and reads it back', (_name, entry, prefix) => {
    const packed = packLedgerEntry(entry);
    expect(packed.startsWith(prefix)).toBe(true);
    expect(unpackLedgerEntry(packed)).toEqual(entry);
  });

  it('stores a batch, reads it with when it was stored, and reads entries stored in full by earlier versions', async () => {
    await ledger.set('contacts', new Map([['501', { firstname: { hubspot: ann, salesforce: ann, at }, phone: { hubspot: blank, salesforce: blank, at } }]]), at + 5);
    await ctx.redis.hset(keys().key('ledger', 'contacts', '502'), 'firstname', `${ann},${anna},${(at / 1000).toString(36)}`, 'phone', `${blank},=,${(at / 1000).toString(36)}`);
    const { ledgers, storedAt } = await ledger.read('contacts', ['501', '502', '503']);
    expect(ledgers.get('501')).toEqual({ firstname: { hubspot: ann, salesforce: ann, at }, phone: { hubspot: blank, salesforce: blank, at } });
    expect(ledgers.get('502')).toEqual({ firstname: { hubspot: ann, salesforce: anna, at }, phone: { hubspot: blank, salesforce: blank, at } });
    expect(ledgers.get('503')).toEqual({});
    expect(storedAt.get('501')).toBe(at + 5);
    expect(storedAt.has('502')).toBe(false);
    expect(await ctx.redis.hget(keys().key('ledger', 'contacts', '501'), 'phone')).toBe(`_,=,${(at / 1000).toString(36)}`);
  });

  it('skips a damaged entry', async () => {
    await ctx.redis.hset(keys().key('ledger', 'contacts', '501'), 'firstname', 'garbage', 'phone', `_,=,${(at / 1000).toString(36)}`);
    expect(Object.keys((await ledger.get('contacts', ['501'])).get('501') ?? {})).toEqual(['phone']);
  });

  it('stores a batch larger than one script call, and field names with white space or a newline', async () => {
    const many = new Map<string, RecordLedger>(Array.from({ length: 1_234 }, (_, i) => [String(9000 + i), { firstname: { hubspot: ann, salesforce: blank, at }, 'odd name': { hubspot: ann, salesforce: ann, at } }]));
    many.set('8999', { 'odd name': { hubspot: anna, salesforce: anna, at }, 'two\nlines': { hubspot: ann, salesforce: anna, at } });
    await ledger.set('contacts', many, at);
    const { ledgers } = await ledger.read('contacts', [...many.keys()]);
    expect(ledgers.size).toBe(1_235);
    for (const [id, entry] of many) expect(ledgers.get(id)).toEqual(entry);
  });

  it('gives a Redis that has not seen its script (new, or restarted) the script and stores the entries', async () => {
    const server = await startPrivateRedis();
    const fresh = createRedis(server.url);
    try {
      const store = new LedgerStore(fresh, keys());
      await store.set('contacts', new Map([['501', { firstname: { hubspot: ann, salesforce: ann, at } }]]), at);
      await fresh.script('FLUSH');
      await store.set('contacts', new Map([['502', { firstname: { hubspot: anna, salesforce: ann, at } }]]), at);
      const { ledgers } = await store.read('contacts', ['501', '502']);
      expect(ledgers.get('501')?.firstname).toEqual({ hubspot: ann, salesforce: ann, at });
      expect(ledgers.get('502')?.firstname).toEqual({ hubspot: anna, salesforce: ann, at });
    } finally {
      fresh.disconnect();
      await server.stop();
    }
  });
});
