/**
 * Each test gets its own key root on the shared test Redis, and every key under it is removed
 * afterwards. Usage:
 *   const ctx = await useRedis();   // in beforeEach / at the top of a test
 *   ...ctx.redis, ctx.root, ctx.url
 *   await ctx.cleanup();            // in afterEach
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis, deleteByPrefix } from '../../src/platform/redis.js';

export interface RedisTestContext {
  url: string;
  root: string;
  redis: Redis;
  cleanup(): Promise<void>;
}

export function testRedisUrl(): string {
  return inject('redisUrl');
}

export async function useRedis(label = 't'): Promise<RedisTestContext> {
  const url = testRedisUrl();
  const root = `test-${label}-${randomBytes(6).toString('hex')}`;
  const redis = createRedis(url, { name: `revloop-test:${root}` });
  await redis.ping();
  return {
    url,
    root,
    redis,
    async cleanup() {
      await deleteByPrefix(redis, `${root}:`);
      redis.disconnect();
    },
  };
}
