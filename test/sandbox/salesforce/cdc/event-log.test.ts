/** The event bus's retained events: which replay ids a channel still accepts, and what a replay returns. */
import { describe, expect, it } from 'vitest';
import { ChannelDirectory } from '../../../../src/sandbox/salesforce/cdc/channels.js';
import { ChangeEventLog } from '../../../../src/sandbox/salesforce/cdc/event-log.js';
import type { ChangeEventPayload } from '../../../../src/sandbox/salesforce/cdc/index.js';

const HOUR = 3_600_000;

function payload(entityName: string): ChangeEventPayload {
  return {
    ChangeEventHeader: {
      entityName,
      recordIds: ['000000000000000AAA'],
      changeType: 'DELETE',
      changeOrigin: '',
      transactionKey: 't',
      sequenceNumber: 1,
      commitTimestamp: 0,
      commitNumber: 1,
      commitUser: '005000000000001AAA',
      changedFields: [],
    },
  };
}

function logWith(entities: string[], options: { maxEvents?: number } = {}) {
  const clock = { now: 0 };
  const log = new ChangeEventLog(new ChannelDirectory(['Lead', 'Account']), {
    retentionMs: 72 * HOUR,
    maxEvents: options.maxEvents ?? 1000,
    now: () => clock.now,
  });
  for (const entity of entities) {
    log.append(entity, 'schema-id-22-characters', payload(entity));
    clock.now += HOUR;
  }
  return { log, clock };
}

describe('ChangeEventLog', () => {
  it('replays a channel after an id, all retained with -2, nothing with -1', () => {
    const { log } = logWith(['Lead', 'Account', 'Lead', 'Account']);
    expect(log.after('/data/LeadChangeEvent', -2).map((e) => e.replayId)).toEqual([1, 3]);
    expect(log.after('/data/ChangeEvents', 1).map((e) => e.replayId)).toEqual([2, 3, 4]);
    expect(log.after('/data/AccountChangeEvent', 2).map((e) => e.replayId)).toEqual([4]);
    expect(log.after('/data/ChangeEvents', -1)).toEqual([]);
  });

  it.each([
    // [channel, replay id, accepted] after event 1 (Lead) fell out of the window and events 2..4 are kept
    ['/data/ChangeEvents', 1, false],
    ['/data/ChangeEvents', 2, true],
    ['/data/LeadChangeEvent', 1, false],
    ['/data/AccountChangeEvent', 1, true], // no Account event was purged: nothing after id 1 is lost on that channel
    ['/data/ChangeEvents', 4, true],
    ['/data/ChangeEvents', 5, false], // never issued
    ['/data/ChangeEvents', 0, false],
    ['/data/ChangeEvents', -1, true],
    ['/data/ChangeEvents', -2, true],
    ['/data/ChangeEvents', 2.5, false],
  ])('on %s accepts replay id %s: %s', (channel, replayId, accepted) => {
    const { log, clock } = logWith(['Lead', 'Account', 'Lead', 'Account']);
    clock.now = 72 * HOUR + 1; // event 1 was stored at 0
    expect(log.acceptsReplayFrom(channel, replayId)).toBe(accepted);
    expect(log.size).toBe(3);
  });

  it('purges the oldest events beyond the cap', () => {
    const { log } = logWith(['Lead', 'Lead', 'Lead', 'Account'], { maxEvents: 2 });
    expect(log.after('/data/ChangeEvents', -2).map((e) => e.replayId)).toEqual([3, 4]);
    expect(log.acceptsReplayFrom('/data/LeadChangeEvent', 2)).toBe(false);
    expect(log.acceptsReplayFrom('/data/LeadChangeEvent', 3)).toBe(true);
    expect(log.latestReplayId).toBe(4);
  });
});
