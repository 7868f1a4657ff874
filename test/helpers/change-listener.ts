/**
 * The real Salesforce change listener of a sync harness, as a worker runs it, for tests that need to
 * know when it has handled a change.
 */
import type { Queue } from 'bullmq';
import { listenForChanges, replayKey } from '../../src/capture/salesforce/change-listener.js';
import { changesSeenUntil } from '../../src/state/changes-seen.js';
import type { SyncHarness } from './sync-harness.js';

export interface RunningListener {
  /** Waits until the listener has handled every change committed up to `at` (less `slackMs`). */
  seen(at: number): Promise<void>;
  stop(): Promise<void>;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts the listener. `fresh` (the default): it reads the changes from now on, not what an earlier
 * listener left; otherwise it resumes after the last change handled, as a restarted worker's does.
 */
export async function startListener(h: SyncHarness, queue: Queue, options: { fresh?: boolean; slackMs?: number } = {}): Promise<RunningListener> {
  if (options.fresh ?? true) await h.redis.redis.del(replayKey(h.ctx));
  const slack = options.slackMs ?? 0;
  const controller = new AbortController();
  const done = listenForChanges(h.ctx, { queue, windowMs: 50, signal: controller.signal });
  const subscribers = () => h.salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0;
  await until(() => subscribers() > 0, 'the change listener did not subscribe');
  return {
    seen: (at) => until(async () => ((await changesSeenUntil(h.redis.redis, h.ctx.keys)) ?? 0) >= at - slack, 'the change listener did not catch up'),
    async stop() {
      controller.abort();
      await done;
      while (subscribers() > 0) await new Promise((r) => setTimeout(r, 25));
    },
  };
}
