/**
 * Many hashes written, or read, in one Redis call, and many stream entries added in one: what is
 * stored and answered is exactly what plain HSET, HMGET, HGETALL and XADD store and answer, whatever
 * the text holds, in batches larger than one script call, and against a Redis that has not seen the
 * scripts (new, or restarted).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../src/platform/local-redis.js';
import { createRedis } from '../../../src/platform/redis.js';
import { addToStream, raiseIndexes, readHashes, readHashFields, setHashes } from '../../../src/state/hash-batch.js';
import { compareIds } from '../../../src/core/sync/identity.js';
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
    await expect(setHashes(ctx.redis, [{ key: key('ok'), pairs: ['f', 'v'] }, { key: key('string'), pairs: ['f', 'v'] }])).rejects.toThrow(`2 keys, ${key('ok')} to ${key('string')}`);
    await expect(readHashes(ctx.redis, [key('string')])).rejects.toThrow(new RegExp(`${key('string')}.*WRONGTYPE`));
    await expect(readHashFields(ctx.redis, [{ key: key('string'), fields: ['f'] }])).rejects.toThrow(/WRONGTYPE/);
    await expect(addToStream(ctx.redis, key('string'), 10, [['a', '1']])).rejects.toThrow(/WRONGTYPE/);
    await expect(setHashes(ctx.redis, [{ key: key('string'), pairs: ['two\nlines', 'v'] }])).rejects.toThrow(/WRONGTYPE/);
  });
});

describe('readHashFields', () => {
  it('answers what HMGET answers, key by key, in the order asked', async () => {
    await ctx.redis.hset(key('a'), 'x', '1', 'y', 'two\nlines', 'é', '😀');
    await ctx.redis.hset(key('b'), 'x', '3');
    await ctx.redis.hset(key('c'), 'new\nline', 'v', '', 'empty name');
    const reads = [
      { key: key('c'), fields: [''] },
      { key: key('a'), fields: ['x', 'y', 'missing', 'é'] },
      { key: key('b'), fields: ['x', 'y', 'missing', 'é'] },
      { key: key('none'), fields: ['x', 'y', 'missing', 'é'] },
      { key: key('c'), fields: ['new\nline', 'x'] },
      { key: key('c'), fields: [''] },
      { key: key('a'), fields: [] },
      { key: key('b'), fields: ['x'] },
      { key: key('a'), fields: ['x', 'y', 'missing', 'é'] },
    ];
    const expected = await Promise.all(reads.map((r) => (r.fields.length > 0 ? ctx.redis.hmget(r.key, ...r.fields) : Promise.resolve([]))));
    expect(await readHashFields(ctx.redis, reads)).toEqual(expected);
    expect(expected[1]).toEqual(['1', 'two\nlines', null, '😀']);
    expect(expected[0]).toEqual(['empty name']);
  });

  it('answers batches larger than one script call, the same fields asked of every record', async () => {
    const pairs = (i: number) => ['f', `v${i}`, 'g', `w${i}`];
    await setHashes(ctx.redis, Array.from({ length: 1_203 }, (_, i) => ({ key: key(String(i)), pairs: pairs(i) })));
    const fields = ['g', 'f', 'h'];
    const answer = await readHashFields(ctx.redis, Array.from({ length: 1_203 }, (_, i) => ({ key: key(String(i)), fields: i === 700 ? ['f'] : fields })));
    expect(answer).toHaveLength(1_203);
    expect(answer[0]).toEqual(['w0', 'v0', null]);
    expect(answer[499]).toEqual(['w499', 'v499', null]);
    expect(answer[500]).toEqual(['w500', 'v500', null]);
    expect(answer[700]).toEqual(['v700']);
    expect(answer[701]).toEqual(['w701', 'v701', null]);
    expect(answer[1_202]).toEqual(['w1202', 'v1202', null]);
  });
});

describe('readHashes', () => {
  it('answers what HGETALL answers, key by key, across script calls', async () => {
    await ctx.redis.hset(key('a'), 'x', '1', 'two\nlines', 'y\nz', 'é', '😀');
    const keys = [key('a'), key('none'), ...Array.from({ length: 600 }, (_, i) => key(`n${i}`))];
    await setHashes(ctx.redis, Array.from({ length: 600 }, (_, i) => ({ key: key(`n${i}`), pairs: ['i', String(i)] })));
    const answer = await readHashes(ctx.redis, keys);
    expect(answer[0]).toEqual(await ctx.redis.hgetall(key('a')));
    expect(answer[1]).toEqual({});
    expect(answer.slice(2).map((h) => h.i)).toEqual(Array.from({ length: 600 }, (_, i) => String(i)));
    expect(await readHashes(ctx.redis, [])).toEqual([]);
  });
});

describe('addToStream', () => {
  it('adds every entry in order, as XADD would, entries holding newlines in their place', async () => {
    const stream = key('stream');
    const entries = Array.from({ length: 1_105 }, (_, i) => (i === 3 || i === 600 ? ['n', String(i), 'text', 'a\nb'] : ['n', String(i), 'text', i % 2 ? 'é 😀' : '']));
    await addToStream(ctx.redis, stream, 100_000, entries);
    const read = await ctx.redis.xrange(stream, '-', '+');
    expect(read.map(([, fields]) => fields)).toEqual(entries);
  });

  it('keeps the stream near its bound, as XADD MAXLEN ~ does', async () => {
    const stream = key('bounded');
    await addToStream(ctx.redis, stream, 100, Array.from({ length: 2_000 }, (_, i) => ['n', String(i)]));
    const length = await ctx.redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(400);
    const [last] = await ctx.redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    expect(last?.[1]).toEqual(['n', '1999']);
  });

  it('gives a Redis that has not seen the scripts the scripts', async () => {
    const server = await startPrivateRedis();
    const fresh = createRedis(server.url);
    try {
      await fresh.hset('h', 'f', 'v');
      await fresh.script('FLUSH');
      expect(await readHashFields(fresh, [{ key: 'h', fields: ['f', 'g'] }])).toEqual([['v', null]]);
      await fresh.script('FLUSH');
      expect(await readHashes(fresh, ['h', 'none'])).toEqual([{ f: 'v' }, {}]);
      await fresh.script('FLUSH');
      await addToStream(fresh, 's', 1_000, [['a', '1'], ['b', '2']]);
      expect((await fresh.xrange('s', '-', '+')).map(([, f]) => f)).toEqual([['a', '1'], ['b', '2']]);
      // Several script calls, each sent again with the script: every entry once, in order.
      await fresh.script('FLUSH');
      const many = Array.from({ length: 1_203 }, (_, i) => ['n', String(i)]);
      await addToStream(fresh, 'many', 10_000, many);
      expect((await fresh.xrange('many', '-', '+')).map(([, f]) => f)).toEqual(many);
    } finally {
      fresh.disconnect();
      await server.stop();
    }
  });
});

describe('raiseIndexes', () => {
  const ids = ['00Q5g0000000001EAA', '00Q5g000000000AEAA', '00Q5g000000000aEAA', '00Q5g000000000zEAA', '00Q5g0000000010EAA', '00Q5g0000000Z00EAA', '00Q5g0000000a00EAA'];

  it('leaves the highest id of each field, whatever order and however many calls the entries come in', async () => {
    // In Id order (as one query sorted up would stage them), then the same entries shuffled over several calls at once.
    const entries = ids.flatMap((id, i) => [[`shared@example.com`, id], [`p${i % 3}@example.com`, id]] as const);
    await raiseIndexes(ctx.redis, [{ key: key('ordered'), prefix: 'Lead:', entries }]);
    const shuffled = [...entries].sort(() => Math.random() - 0.5);
    await Promise.all([0, 1, 2].map((part) => raiseIndexes(ctx.redis, [{ key: key('shuffled'), prefix: 'Lead:', entries: shuffled.filter((_, i) => i % 3 === part) }])));
    const ordered = await ctx.redis.hgetall(key('ordered'));
    expect(await ctx.redis.hgetall(key('shuffled'))).toEqual(ordered);
    const highest = [...ids].sort(compareIds).at(-1);
    expect(ordered['shared@example.com']).toBe(`Lead:${highest}`);
    // Lua compares bytes as compareIds does: the answer is the last of each field in compareIds' order.
    for (let k = 0; k < 3; k++) {
      const mine = ids.filter((_, i) => i % 3 === k).sort(compareIds);
      expect(ordered[`p${k}@example.com`]).toBe(`Lead:${mine.at(-1)}`);
    }
  });

  it('replaces an entry of another prefix, keeps a higher one of its own, and goes beside plain commands', async () => {
    await raiseIndexes(ctx.redis, [{ key: key('i'), prefix: 'Lead:', entries: [['a@x', ids[6] as string], ['b@x', ids[0] as string]] }]);
    await raiseIndexes(ctx.redis, [{ key: key('i'), prefix: 'Contact:', entries: [['a@x', '0035g0000000001AAA']] }, { key: key('d'), prefix: '', entries: [['acme.example', ids[3] as string], ['acme.example', ids[1] as string]] }], [['hset', key('records'), 'r1', 'v1']]);
    await raiseIndexes(ctx.redis, [{ key: key('i'), prefix: 'Lead:', entries: [['b@x', ids[1] as string], ['odd\nmail@x', ids[2] as string], ['odd\nmail@x', ids[0] as string]] }]);
    expect(await ctx.redis.hgetall(key('i'))).toEqual({ 'a@x': 'Contact:0035g0000000001AAA', 'b@x': `Lead:${ids[1]}`, 'odd\nmail@x': `Lead:${ids[2]}` });
    expect(await ctx.redis.hgetall(key('d'))).toEqual({ 'acme.example': ids[3] });
    expect(await ctx.redis.hget(key('records'), 'r1')).toBe('v1');
    // Shorter ids come first, as in Salesforce's order of 15- and 18-character ids.
    expect(compareIds('00Q5g0000000001', '00Q5g0000000001EAA')).toBeLessThan(0);
    expect(compareIds(ids[1] as string, ids[2] as string)).toBeLessThan(0);
  });
});
