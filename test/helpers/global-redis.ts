/**
 * Vitest global setup: gives every test run one Redis to talk to.
 * REDIS_URL wins when set; otherwise a private redis-server is started on a free port in a
 * temporary directory and stopped afterwards. When neither works the run fails with one
 * message that says how to get Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const INSTALL_HINT =
  'revloop tests need Redis 7. Either set REDIS_URL=redis://host:port to a running server, ' +
  'or install redis-server so the tests can start a private one (Debian/Ubuntu: apt-get install -y redis-server; ' +
  'macOS: brew install redis).';

async function ping(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => {
    // The failure is reported by connect()/ping() below.
  });
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startPrivateRedis(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'revloop-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await Promise.race([ping(url), spawnError]);
      return { url, child, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.REDIS_URL;
  if (configured) {
    try {
      await ping(configured);
    } catch (err) {
      throw new Error(`REDIS_URL=${configured} does not answer (${(err as Error).message}). ${INSTALL_HINT}`);
    }
    project.provide('redisUrl', configured);
    return async () => {};
  }
  let started: Awaited<ReturnType<typeof startPrivateRedis>>;
  try {
    started = await startPrivateRedis();
  } catch (err) {
    throw new Error(`Could not start a private redis-server (${(err as Error).message}). ${INSTALL_HINT}`);
  }
  project.provide('redisUrl', started.url);
  return async () => {
    started.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    rmSync(started.dir, { recursive: true, force: true });
  };
}
