/** What the admin use cases (status, errors, retry, timeline, install) work with: Redis, the stores and the queues. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import type { ConnectionStore } from '../state/connection-store.js';
import type { ConnectionRegistry } from '../worker/create-workers.js';

export interface AdminQueues {
  sync: Queue;
  backfill: Queue;
  listen: Queue;
}

export interface AdminDeps {
  redis: Redis;
  root: string;
  connections: ConnectionStore;
  /** Sync contexts of the connections (their API gateways, budgets and mappings). */
  registry: ConnectionRegistry & { invalidate?(connectionId?: string): void };
  queues: AdminQueues;
  logger: Logger;
}
