/**
 * Many hashes written in one Redis call: what is stored is exactly what plain HSET stores, whatever
 * the text holds, in batches larger than one script call, and against a Redis that has not seen the
 * script (new, or restarted).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../src/platform/local-redis.js';
import { createRedis } from '../../../src/platform/redis.js';
import { setHashes } from '../../../src/state/hash-batch.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let ctx: RedisTestContext;
const key = (id: string) => `${ctx.root}:h:${id}`;

beforeEach(async () => {
  ctx = await useRedis('hash-batch');
});

afterEach(async () => {
  await ctx.cleanup();
});

describe('setHashes', () => {
  it('stores what plain HSET would, whatever the text holds', async () => {
    const pairs = ['plain', 'value', 'with space', 'a b c', 'empty', '', 'json', '["x",null,1,"revloop","a:b"]', 'unicode', 'é 😀 \u2028', 'tab', 'a\tb', 'new\nline', 'two\nlines'];
    await setHashes(ctx.redis, [
      { key: key('1'), pairs },
      { key: key('2'), pairs: ['only', 'one'] },
      { key: key('3'), pairs: [] },
    ]);
    const fields = pairs.filter((_, i) => i % 2 === 0);
    expect(await ctx.redis.hgetall(key('1'))).toEqual(Object.fromEntries(fields.map((f, i) => [f, pairs[i * 2 + 1]])));
    expect(await ctx.redis.exists(key('3'))).toBe(0);
    expect(await ctx.redis.hgetall(key('2'))).toEqual({ only: 'one' });
  });

  it('keeps fields not given, and handles batches larger than one script call', async () => {
    await ctx.redis.hset(key('0'), 'kept', 'yes', 'replaced', 'old');
    const writes = Array.from({ length: 1_201 }, (_, i) => ({ key: key(String(i)), pairs: ['replaced', `new ${i}`, 'n', String(i)] }));
    await setHashes(ctx.redis, writes);
    expect(await ctx.redis.hgetall(key('0'))).toEqual({ kept: 'yes', replaced: 'new 0', n: '0' });
    const read = await Promise.all(writes.map((w) => ctx.redis.hmget(w.key, 'n', 'replaced')));
    expect(read.map((r) => r[0])).toEqual(writes.map((_, i) => String(i)));
    expect(read[1_200]).toEqual(['1200', 'new 1200']);
  });

  it('gives a Redis that has not seen the script the script, and sends the plain writes beside it once', async () => {
    const server = await startPrivateRedis();
    const fresh = createRedis(server.url);
    try {
      await fresh.script('FLUSH');
      await setHashes(fresh, [{ key: 'a', pairs: ['f', 'v'] }]);
      expect(await fresh.hget('a', 'f')).toBe('v');
      await fresh.script('FLUSH');
      await setHashes(fresh, [{ key: 'b', pairs: ['f', 'w'] }, { key: 'c', pairs: ['x\ny', '1'] }]);
      expect(await fresh.hget('b', 'f')).toBe('w');
      expect(await fresh.hget('c', 'x\ny')).toBe('1');
      await fresh.hdel('c', 'x\ny');
      await fresh.script('FLUSH');
      await setHashes(fresh, [{ key: 'd', pairs: ['f', 'v'] }, { key: 'c', pairs: ['x\ny', '2'] }]);
      expect(await fresh.hget('c', 'x\ny')).toBe('2');
    } finally {
      fresh.disconnect();
      await server.stop();
    }
  });

  it('reports a failing command instead of losing it', async () => {
    await ctx.redis.set(key('string'), 'not a hash');
    await expect(setHashes(ctx.redis, [{ key: key('string'), pairs: ['f', 'v'] }])).rejects.toThrow(/WRONGTYPE/);
    await expect(setHashes(ctx.redis, [{ key: key('string'), pairs: ['two\nlines', 'v'] }])).rejects.toThrow(/WRONGTYPE/);
  });
});
