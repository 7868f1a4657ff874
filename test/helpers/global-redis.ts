/**
 * Vitest global setup: gives every test run one Redis to talk to. REDIS_URL wins when set; otherwise a
 * private redis-server is started on a free port in a temporary directory and stopped afterwards.
 * When neither works the run fails with one message that says how to install Redis.
 */
import type { TestProject } from 'vitest/node';
import { ensureRedis } from '../../src/platform/local-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await ensureRedis(process.env.REDIS_URL);
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
