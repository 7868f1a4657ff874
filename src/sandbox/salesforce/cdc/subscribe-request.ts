/**
 * Reads a /meta/subscribe request: the channels, and where each starts from. The replay extension (jsforce's
 * StreamingExtension.Replay, Salesforce's cometdReplayExtension) sends `ext: { replay: { "<channel>": <replayId> } }`;
 * a channel without an entry starts with new events only (-1).
 */
import type { BayeuxMessage } from 'faye/src/adapters/node_adapter.js';
import { z } from 'zod';
import { REPLAY_NEW_EVENTS } from './event-log.js';

const replayValueSchema = z.union([z.number(), z.string()]);
const subscribeSchema = z.object({
  subscription: z.union([z.string(), z.array(z.string())]).optional(),
  ext: z.object({ replay: z.record(z.string(), replayValueSchema).optional() }).loose().optional(),
});

export interface SubscribeStart {
  channel: string;
  /** The replay id asked for, or undefined when it is not a whole number. */
  replayId: number | undefined;
  /** As sent, for the error message. */
  raw: unknown;
}

function parseReplayId(value: number | string): number | undefined {
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The channels of the request with their starting points; undefined when the request is malformed. */
export function subscribeStarts(message: BayeuxMessage): SubscribeStart[] | undefined {
  const parsed = subscribeSchema.safeParse(message);
  if (!parsed.success || parsed.data.subscription === undefined) return undefined;
  const channels = typeof parsed.data.subscription === 'string' ? [parsed.data.subscription] : parsed.data.subscription;
  const replay = parsed.data.ext?.replay ?? {};
  return channels.map((channel) => {
    const raw = Object.hasOwn(replay, channel) ? replay[channel] : undefined;
    return raw === undefined
      ? { channel, replayId: REPLAY_NEW_EVENTS, raw: REPLAY_NEW_EVENTS }
      : { channel, replayId: parseReplayId(raw), raw };
  });
}
