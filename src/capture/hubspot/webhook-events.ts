/**
 * HubSpot webhook events as revloop reads them, and what each means for the sync: a change to carry
 * (creation, property change, restore, association change), a deletion, or a merge. Events revloop's
 * own writes caused (changeSource INTEGRATION from revloop's own app) are echoes and are dropped.
 */
import { z } from 'zod';
import type { PairObject } from '../../state/link-store.js';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const webhookEventSchema = z.object({
  eventId: id,
  subscriptionId: id.optional(),
  portalId: id,
  appId: id.optional(),
  occurredAt: z.number(),
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, 'subscriptionType must look like contact.propertyChange'),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id,
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(65_536).nullable().optional(),
  changeSource: z.string().max(100).optional(),
  sourceId: z.string().max(200).optional(),
  changeFlag: z.string().max(40).optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).max(100).optional(),
  newObjectId: id.optional(),
  associationType: z.string().max(100).optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationRemoved: z.boolean().optional(),
});

export const webhookBodySchema = z.array(webhookEventSchema).min(1).max(1000);

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export type EventAction =
  | { kind: 'change'; pair: PairObject; ids: string[]; property?: { name: string; value: string | null; at: number; source: string } }
  | { kind: 'delete'; pair: PairObject; id: string; at: number }
  | { kind: 'merge'; pair: PairObject; newId: string; mergedIds: string[]; primaryId: string | undefined; at: number }
  | { kind: 'echo' }
  | { kind: 'ignored'; reason: string };

const PAIRS: Readonly<Record<string, PairObject>> = { contact: 'contacts', company: 'companies' };

/**
 * What an event asks of the sync. `ownSourceIds` are the app ids revloop writes with (its OAuth app,
 * its private app), whose INTEGRATION events are revloop's own writes coming back.
 */
export function actionOf(event: WebhookEvent, ownSourceIds: ReadonlySet<string>): EventAction {
  const [object, kind] = event.subscriptionType.split('.') as [string, string];
  const pair = PAIRS[object];
  if (!pair) return { kind: 'ignored', reason: `revloop does not sync ${object} objects` };
  if (event.changeSource === 'INTEGRATION' && event.sourceId !== undefined && ownSourceIds.has(event.sourceId)) return { kind: 'echo' };
  switch (kind) {
    case 'creation':
    case 'restore':
      return { kind: 'change', pair, ids: [event.objectId] };
    case 'propertyChange':
      return {
        kind: 'change',
        pair,
        ids: [event.objectId],
        ...(event.propertyName ? { property: { name: event.propertyName, value: event.propertyValue ?? null, at: event.occurredAt, source: event.changeSource ?? 'UNKNOWN' } } : {}),
      };
    case 'associationChange':
      // A contact moved to another company: its Account-derived fields may change.
      return { kind: 'change', pair, ids: [event.fromObjectId ?? event.objectId] };
    case 'deletion':
    case 'privacyDeletion':
      return { kind: 'delete', pair, id: event.objectId, at: event.occurredAt };
    case 'merge':
      return { kind: 'merge', pair, newId: event.newObjectId ?? event.primaryObjectId ?? event.objectId, mergedIds: event.mergedObjectIds ?? [], primaryId: event.primaryObjectId, at: event.occurredAt };
    default:
      return { kind: 'ignored', reason: `unknown event kind ${kind}` };
  }
}
