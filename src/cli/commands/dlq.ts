/**
 * `revloop dlq [list|retry|retry-all] [ids...] [--connection ID] [--category C] [--json] [--no-worker]`:
 * the parked records, grouped by category with the vendor's message and a suggested fix; retrying
 * queues them again as sync batches (the same code as the admin API's retry) and, with a worker in
 * this process, waits for them and says which are still parked.
 */
import { QueueEvents } from 'bullmq';
import type { Command } from 'commander';
import { ERROR_CATEGORIES, groupErrors, type ErrorCategory } from '../../admin/dead-letters/explain.js';
import { retryParked, type RetrySelection } from '../../admin/dead-letters/retry.js';
import { loadEnv } from '../../config/env.js';
import { RevloopError } from '../../platform/errors.js';
import { createLogger } from '../../platform/logger.js';
import { createBullConnection, createRedis, Keyspace, queuePrefix } from '../../platform/redis.js';
import { SecretBox } from '../../platform/secret-box.js';
import { ConnectionStore } from '../../state/connection-store.js';
import { DeadLetters } from '../../state/dead-letters.js';
import { startWorker } from '../../worker/main.js';
import { createQueue, QUEUES } from '../../worker/queues.js';

interface DlqFlags {
  connection?: string;
  category?: string;
  json?: boolean;
  worker: boolean;
  limit: string;
}

const ACTIONS = ['list', 'retry', 'retry-all'] as const;
type Action = (typeof ACTIONS)[number];

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export async function runDlq(action: string, ids: string[], flags: DlqFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(action)) throw new RevloopError('BAD_REQUEST', `unknown action "${action}"; use list, retry <id...> or retry-all`);
  const act = action as Action;
  if (act === 'retry' && ids.length === 0 && !flags.category) throw new RevloopError('BAD_REQUEST', 'revloop dlq retry needs the ids of the parked records (see revloop dlq list), or --category');
  if (flags.category !== undefined && !(ERROR_CATEGORIES as readonly string[]).includes(flags.category)) {
    throw new RevloopError('BAD_REQUEST', `--category must be one of ${ERROR_CATEGORIES.join(', ')}`);
  }
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new RevloopError('BAD_REQUEST', `--limit must be a whole number, got "${flags.limit}"`);
  const env = loadEnv();
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:cli' });
  const bull = createBullConnection(env.REDIS_URL, 'revloop:cli:bull');
  const store = new ConnectionStore(redis, new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []), env.REVLOOP_REDIS_ROOT);
  const write = (line: string) => out.write(`${line}\n`);
  try {
    const connections = await store.list();
    const connection = flags.connection ?? (connections.length === 1 ? connections[0]?.id : undefined);
    if (!connection) {
      throw new RevloopError('BAD_REQUEST', connections.length === 0 ? 'no connection is set up yet (install revloop, or run revloop demo)' : `several connections exist; choose one with --connection (${connections.map((c) => c.id).join(', ')})`);
    }
    await store.require(connection);
    const dlq = new DeadLetters(redis, new Keyspace(connection, env.REVLOOP_REDIS_ROOT));

    if (act === 'list') {
      const groups = groupErrors(await dlq.list(limit)).filter((g) => !flags.category || g.category === flags.category);
      if (flags.json) {
        write(JSON.stringify({ connection, total: await dlq.size(), groups }));
        return 0;
      }
      const total = await dlq.size();
      if (total === 0) {
        write(`No parked records in connection ${connection}.`);
        return 0;
      }
      write(`${total} parked record${total === 1 ? '' : 's'} in connection ${connection}:`);
      for (const g of groups) {
        write('');
        write(`${g.title} [${g.category}]: ${g.count}`);
        for (const e of g.entries) {
          write(`  ${e.id}`);
          write(`    ${e.code}: ${e.message} (${e.attempts} attempt${e.attempts === 1 ? '' : 's'}, last ${when(e.lastAt)})`);
          write(`    fix: ${e.fix}`);
        }
      }
      write('');
      write('Retry with: revloop dlq retry <id...>, revloop dlq retry --category <category>, or revloop dlq retry-all');
      return 0;
    }

    const selection: RetrySelection = act === 'retry-all' ? { all: true } : ids.length > 0 ? { ids } : { category: flags.category as ErrorCategory };
    const syncQueue = createQueue(QUEUES.sync, bull, env.REVLOOP_REDIS_ROOT);
    const worker = flags.worker ? await startWorker(env, createLogger({ level: 'warn', destination: process.stderr })) : undefined;
    try {
      const result = await retryParked({ redis, syncQueue, root: env.REVLOOP_REDIS_ROOT }, connection, selection);
      write(`Queued ${result.entries} parked record${result.entries === 1 ? '' : 's'} again in ${result.jobIds.length} batch${result.jobIds.length === 1 ? '' : 'es'}.`);
      if (!worker || result.jobIds.length === 0) {
        if (!worker) write('Workers will sync them; check again with revloop dlq list.');
        return 0;
      }
      const eventsConnection = bull.duplicate();
      const events = new QueueEvents(QUEUES.sync, { connection: eventsConnection, prefix: queuePrefix(env.REVLOOP_REDIS_ROOT) });
      await events.waitUntilReady();
      try {
        for (const id of result.jobIds) {
          const job = await syncQueue.getJob(id);
          if (job) await job.waitUntilFinished(events).catch(() => undefined);
        }
      } finally {
        await events.close();
        eventsConnection.disconnect();
      }
      const left = await dlq.size();
      write(left === 0 ? 'Every parked record synced.' : `${left} record${left === 1 ? ' is' : 's are'} still parked (revloop dlq list shows why).`);
      return left === 0 ? 0 : 1;
    } finally {
      await worker?.stop();
      await syncQueue.close();
    }
  } finally {
    bull.disconnect();
    redis.disconnect();
  }
}

export function registerDlq(program: Command): void {
  program
    .command('dlq')
    .description('List, explain and retry parked records (the dead-letter set): list, retry <id...>, retry-all.')
    .argument('[action]', 'list | retry | retry-all', 'list')
    .argument('[ids...]', 'ids of parked records (for retry), as revloop dlq list prints them')
    .option('--connection <id>', 'the connection (needed when there are several)')
    .option('--category <category>', `only this category (${ERROR_CATEGORIES.join(', ')})`)
    .option('--json', 'list as one JSON object')
    .option('--limit <n>', 'records listed at most', '1000')
    .option('--no-worker', 'only queue the retries (running workers sync them)')
    .action(async (action: string, ids: string[], flags: DlqFlags) => {
      process.exitCode = await runDlq(action, ids, flags);
    });
}
