/**
 * Many small hashes written or read, and many stream entries added, in one Redis call each. A batch
 * writes a score of ledger fields and a few provenance entries for each of a few hundred records, reads
 * them first, and adds a lifecycle transition for each person. Sent as a command per record, they cost
 * the worker more to build, send and answer than anything else it asks of Redis: the client builds an
 * object, a promise and a text for every command. Here each record's fields go as one argument,
 * joined by newlines, and a script splits them inside Redis: the hashes, answers and entries are the
 * same as with plain HSET, HMGET, HGETALL and XADD. A record whose field names or values hold a
 * newline is sent as a plain command instead.
 *
 * Measured (2026-11-30): the split costs Redis about 16 µs for a record of 22 fields, against 11 µs
 * for a plain HSET and 22 µs for the pattern-matching split used before. For a record of four
 * provenance entries, the worker spends 5 µs instead of 12 on the write and 4 instead of 7 on the read,
 * and Redis about 2 µs more on each: the worker is what a backfill waits for (docs/decisions/2026-11-30-backfill-cpu.md).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { chunks } from '../platform/concurrency.js';

/** Records per script call: a call holds Redis for its length. */
const CHUNK = 500;
const SEP = '\n';

/** Splits ARGV[i] at newlines (plain find, not a pattern: the cheapest split in Redis's Lua). */
const SPLIT = `
local find, sub = string.find, string.sub
local function split(s)
  local out, n, pos = {}, 0, 1
  while true do
    local at = find(s, '\\n', pos, true)
    n = n + 1
    if not at then out[n] = sub(s, pos) return out, n end
    out[n] = sub(s, pos, at - 1)
    pos = at + 1
  end
end`;

/** Each key's hash gets the "field, value, field, value..." of its argument. */
const SET_LUA = `${SPLIT}
for i = 1, #KEYS do
  local args, n = split(ARGV[i])
  if n > 1 then redis.call('HSET', KEYS[i], unpack(args, 1, n)) end
end
return #KEYS`;

/**
 * Each key's values of the fields named in its argument (HMGET's answer, key by key). An empty
 * argument names the same fields as the one before it (most records of a batch are asked the same).
 */
const GET_LUA = `${SPLIT}
local out, fields, n = {}, {}, 0
for i = 1, #KEYS do
  if ARGV[i] ~= '' then fields, n = split(ARGV[i]) end
  out[i] = redis.call('HMGET', KEYS[i], unpack(fields, 1, n))
end
return out`;

/** Each key's whole hash (HGETALL's answer, key by key). */
const GET_ALL_LUA = `
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
return out`;

/** Each argument (after the first, the stream's length bound) is one entry's "field, value..." added to stream KEYS[1]. */
const XADD_LUA = `${SPLIT}
for i = 2, #ARGV do
  local args, n = split(ARGV[i])
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(args, 1, n))
end
return #ARGV - 1`;

/**
 * Index entries where the highest id wins. ARGV[1] is a prefix; then either one argument of
 * "field, id, field, id..." joined by newlines, or the fields and ids as arguments of their own (a
 * field that holds a newline). A field is set to prefix..id unless it holds an entry of the same
 * prefix with a higher id (ids compared by length, then byte by byte: not with Lua's string
 * comparison, which follows the server's locale). An entry of another prefix is replaced.
 */
const RAISE_LUA = `${SPLIT}
local prefix = ARGV[1]
local n = #prefix
local items, count
if #ARGV == 2 then items, count = split(ARGV[2]) else items, count = { unpack(ARGV, 2) }, #ARGV - 1 end
local byte = string.byte
local function higher(a, b)
  if #a ~= #b then return #a > #b end
  for i = 1, #a do
    local x, y = byte(a, i), byte(b, i)
    if x ~= y then return x > y end
  end
  return false
end
local set = 0
for i = 1, count - 1, 2 do
  local field, id = items[i], items[i + 1]
  local cur = redis.call('HGET', KEYS[1], field)
  if not cur or (n > 0 and sub(cur, 1, n) ~= prefix) or higher(id, sub(cur, n + 1)) then
    redis.call('HSET', KEYS[1], field, prefix .. id)
    set = set + 1
  end
end
return set`;

interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });
const SET = script(SET_LUA);
const GET = script(GET_LUA);
const GET_ALL = script(GET_ALL_LUA);
const XADD = script(XADD_LUA);
const RAISE = script(RAISE_LUA);

function joinable(items: readonly string[]): boolean {
  for (const item of items) if (item.includes(SEP)) return false;
  return true;
}

type Results = Array<[Error | null, unknown]>;

function throwFirst(results: Results): void {
  const failed = results.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

const isNoScript = ([err]: [Error | null, unknown]): boolean => err !== null && /NOSCRIPT/.test(err.message);

/**
 * Runs the script calls, and the plain commands beside them, in one pipeline; a call that finds Redis
 * without the script (new, restarted, or flushed meanwhile) is sent again with it, and only that call
 * (a stream entry is never added twice). Returns the scripts' answers.
 */
async function run(redis: Redis, s: Script, calls: ReadonlyArray<{ keys: readonly string[]; args: readonly string[] }>, plain: ReadonlyArray<[string, ...string[]]> = []): Promise<{ scripts: unknown[]; plain: Results }> {
  // The joined arguments go as bytes: the client copies them into its request as they are, where a
  // string argument is pieced into one long text first, and flattening that text cost more than
  // anything else the worker did with Redis (2026-11-30).
  const bytes = calls.map((c) => c.args.map((a) => Buffer.from(a)));
  const pipe = redis.pipeline();
  calls.forEach((c, i) => pipe.evalsha(s.sha, c.keys.length, ...c.keys, ...(bytes[i] as Buffer[])));
  for (const [command, ...args] of plain) pipe.call(command, ...args);
  const results = ((await pipe.exec()) ?? []) as Results;
  const scripts = results.slice(0, calls.length);
  const plainResults = results.slice(calls.length);
  const missing = scripts.flatMap((r, i) => (isNoScript(r) ? [i] : []));
  if (missing.length > 0) {
    const again = redis.pipeline();
    for (const i of missing) {
      const c = calls[i] as (typeof calls)[number];
      again.eval(s.lua, c.keys.length, ...c.keys, ...(bytes[i] as Buffer[]));
    }
    const answers = ((await again.exec()) ?? []) as Results;
    missing.forEach((i, j) => (scripts[i] = answers[j] ?? [new Error('Redis gave no answer to a script call'), null]));
  }
  // A script's error names no key: say which records the failing call was about.
  scripts.forEach(([err], i) => {
    if (!err) return;
    const keys = (calls[i] as (typeof calls)[number]).keys;
    const which = keys.length === 0 ? 'no key' : keys.length === 1 ? (keys[0] as string) : `${keys.length} keys, ${keys[0] as string} to ${keys[keys.length - 1] as string}`;
    throw new Error(`Redis refused a batched call (${which}): ${err.message}`, { cause: err });
  });
  throwFirst(plainResults);
  return { scripts: scripts.map(([, r]) => r), plain: plainResults };
}

/** Writes each hash's "field, value, ..." pairs (fields not given keep theirs). */
export async function setHashes(redis: Redis, writes: ReadonlyArray<{ key: string; pairs: readonly string[] }>): Promise<void> {
  const joined: Array<{ key: string; arg: string }> = [];
  const plain: Array<[string, ...string[]]> = [];
  for (const w of writes) {
    if (w.pairs.length === 0) continue;
    if (joinable(w.pairs)) joined.push({ key: w.key, arg: w.pairs.join(SEP) });
    else plain.push(['hset', w.key, ...w.pairs]);
  }
  if (joined.length === 0 && plain.length === 0) return;
  await run(redis, SET, byChunk(joined), plain);
}

function byChunk(joined: ReadonlyArray<{ key: string; arg: string }>): Array<{ keys: string[]; args: string[] }> {
  return chunks(joined, CHUNK).map((chunk) => ({ keys: chunk.map((j) => j.key), args: chunk.map((j) => j.arg) }));
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const asValues = (reply: unknown): Array<string | null> => (Array.isArray(reply) ? reply.map((v) => (typeof v === 'string' ? v : null)) : []);

/**
 * The values of the named fields of each hash, in the order asked (null for a field it does not
 * hold): HMGET's answer for each read, all in one Redis call. A read of no fields answers [].
 */
export async function readHashFields(redis: Redis, reads: ReadonlyArray<{ key: string; fields: readonly string[] }>): Promise<Array<Array<string | null>>> {
  const out: Array<Array<string | null>> = reads.map(() => []);
  const joined: Array<{ key: string; arg: string }> = [];
  const joinedAt: number[] = [];
  const plain: Array<[string, ...string[]]> = [];
  const plainAt: number[] = [];
  let previous: readonly string[] | undefined;
  reads.forEach((r, i) => {
    if (r.fields.length === 0) return;
    // One empty field name would join to the empty argument that means "the same fields": it goes as a plain HMGET.
    if (joinable(r.fields) && !(r.fields.length === 1 && r.fields[0] === '')) {
      // The first read of each script call always names its fields.
      const same = previous !== undefined && joined.length % CHUNK !== 0 && sameItems(previous, r.fields);
      joined.push({ key: r.key, arg: same ? '' : r.fields.join(SEP) });
      joinedAt.push(i);
      previous = r.fields;
    } else {
      plain.push(['hmget', r.key, ...r.fields]);
      plainAt.push(i);
    }
  });
  if (joined.length === 0 && plain.length === 0) return out;
  const answers = await run(redis, GET, byChunk(joined), plain);
  let n = 0;
  for (const reply of answers.scripts) for (const values of Array.isArray(reply) ? reply : []) out[joinedAt[n++] as number] = asValues(values);
  answers.plain.forEach(([, reply], j) => (out[plainAt[j] as number] = asValues(reply)));
  return out;
}

/** Each hash in full (HGETALL's answer; {} for a key that holds none), all in one Redis call. */
export async function readHashes(redis: Redis, keys: readonly string[]): Promise<Array<Record<string, string>>> {
  if (keys.length === 0) return [];
  const answers = await run(redis, GET_ALL, chunks(keys, CHUNK).map((chunk) => ({ keys: chunk, args: [] })));
  const out: Array<Record<string, string>> = [];
  for (const reply of answers.scripts) {
    for (const flat of Array.isArray(reply) ? reply : []) {
      const hash: Record<string, string> = {};
      if (Array.isArray(flat)) for (let i = 0; i + 1 < flat.length; i += 2) hash[String(flat[i])] = String(flat[i + 1]);
      out.push(hash);
    }
  }
  return out;
}

/**
 * Adds entries ("field, value, ..." each) to a stream in order, with XADD's approximate length bound,
 * in one Redis call per few hundred entries. An entry holding a newline goes as a plain XADD, in its place.
 */
export async function addToStream(redis: Redis, key: string, maxLength: number, entries: ReadonlyArray<readonly string[]>): Promise<void> {
  const bound = String(maxLength);
  // Runs of joinable entries go as script calls; the order of entries is kept across runs.
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const calls = chunks(pending, CHUNK).map((chunk) => ({ keys: [key], args: [bound, ...chunk] }));
    pending = [];
    await run(redis, XADD, calls);
  };
  for (const fields of entries) {
    if (fields.length === 0) continue;
    if (joinable(fields)) {
      pending.push(fields.join(SEP));
      continue;
    }
    await flush();
    await redis.xadd(key, 'MAXLEN', '~', bound, '*', ...fields);
  }
  await flush();
}

/** Index pairs per script call: each is a read and perhaps a write inside Redis, a few µs. */
const RAISE_CHUNK = 1000;

/**
 * Sets index entries "prefix + id" where the highest id wins (ids compared by length, then byte by
 * byte, as `compareIds` (src/core/sync/identity.ts) does): a field keeps an entry of the same prefix with a
 * higher id, and takes this one over any other. Entries given in any order, in any number of calls at
 * once, leave what setting them in id order would. `plain` commands go in the same round trip.
 */
export async function raiseIndexes(
  redis: Redis,
  indexes: ReadonlyArray<{ key: string; prefix: string; entries: ReadonlyArray<readonly [field: string, id: string]> }>,
  plain: ReadonlyArray<[string, ...string[]]> = [],
): Promise<void> {
  const calls: Array<{ keys: string[]; args: string[] }> = [];
  for (const index of indexes) {
    const joined: string[] = [];
    for (const [field, id] of index.entries) {
      // A field or id with a newline goes on its own, as arguments of their own.
      if (field.includes(SEP) || id.includes(SEP)) calls.push({ keys: [index.key], args: [index.prefix, field, id] });
      else joined.push(field, id);
    }
    for (const chunk of chunks(joined, RAISE_CHUNK * 2)) calls.push({ keys: [index.key], args: [index.prefix, chunk.join(SEP)] });
  }
  if (calls.length === 0 && plain.length === 0) return;
  await run(redis, RAISE, calls, plain);
}
