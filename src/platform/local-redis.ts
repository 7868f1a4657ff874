/**
 * A Redis for tools that need one on a machine without configuration (the demo, the test run, the
 * benchmarks): REDIS_URL when it answers, otherwise a private redis-server on a free loopback port in
 * a temporary directory, stopped with `stop()`. When neither works, one clear message says how to
 * get Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RevloopError } from './errors.js';

export const INSTALL_HINT =
  'revloop needs Redis 7. Either set REDIS_URL=redis://host:port to a running server, ' +
  'or install redis-server so a private one can be started (Debian/Ubuntu: apt-get install -y redis-server; ' +
  'macOS: brew install redis).';

export interface LocalRedis {
  url: string;
  /** True when this process started the server. */
  started: boolean;
  stop(): Promise<void>;
}

export async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => {
    // reported by connect()/ping() below
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

/** Starts a private redis-server. `persist` turns AOF on (restarts keep the data). */
export async function startPrivateRedis(options: { persist?: boolean; dir?: string; port?: number } = {}): Promise<LocalRedis & { child: ChildProcess; dir: string; port: number }> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'revloop-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', options.persist ? 'yes' : 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await Promise.race([pingRedis(url), spawnError]);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || Date.now() > deadline) {
        child.kill('SIGKILL');
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
        throw new RevloopError('UPSTREAM_UNAVAILABLE', `could not start redis-server (${(err as Error).message}). ${INSTALL_HINT}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    started: true,
    child,
    dir,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** REDIS_URL when set (it must answer), else a private server. */
export async function ensureRedis(configured: string | undefined = process.env.REDIS_URL): Promise<LocalRedis> {
  if (configured) {
    try {
      await pingRedis(configured);
    } catch (err) {
      throw new RevloopError('UPSTREAM_UNAVAILABLE', `REDIS_URL=${configured} does not answer (${(err as Error).message}). ${INSTALL_HINT}`, { cause: err });
    }
    return { url: configured, started: false, stop: async () => {} };
  }
  return startPrivateRedis();
}
