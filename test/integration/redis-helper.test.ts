/** The test Redis: each test has its own key root, and cleanup removes exactly its keys. */
import { afterEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/platform/redis.js';
import { useRedis, type RedisTestContext } from '../helpers/redis.js';

let contexts: RedisTestContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.cleanup()));
  contexts = [];
});

describe('test Redis isolation', () => {
  it('gives two tests separate roots and cleans only its own keys', async () => {
    const a = await useRedis('a');
    const b = await useRedis('b');
    contexts.push(b);
    const keysA = new Keyspace('conn', a.root);
    const keysB = new Keyspace('conn', b.root);
    await a.redis.set(keysA.key('x'), '1');
    await a.redis.hset(keysA.key('h'), 'f', 'v');
    await b.redis.set(keysB.key('x'), '2');
    expect(await a.redis.get(keysA.key('x'))).toBe('1');
    await a.cleanup();
    expect(await b.redis.exists(keysA.key('x'), keysA.key('h'))).toBe(0);
    expect(await b.redis.get(keysB.key('x'))).toBe('2');
  });

  it('keeps all keys of a connection in one cluster slot (same hash tag)', async () => {
    const ctx = await useRedis('slot');
    contexts.push(ctx);
    const keys = new Keyspace('acme', ctx.root);
    // Redis Cluster hashes only the part between the first "{" and the next "}" when it is not empty.
    const hashTag = (key: string) => {
      const open = key.indexOf('{');
      const close = key.indexOf('}', open + 1);
      return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
    };
    const tags = new Set([keys.key('links', 'a'), keys.key('ledger', 'b', 1), keys.key('checkpoint')].map(hashTag));
    expect([...tags]).toEqual(['acme']);
  });
});
