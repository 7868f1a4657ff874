/**
 * Store events → HubSpot webhook event payloads, one per matching subscription. Key names and
 * values as HubSpot sends them: numbers for ids and stamps, `changeFlag` CREATED/DELETED on
 * creation and deletion, `changeSource` + `sourceId` from the actor, merge keys
 * (primaryObjectId, mergedObjectIds, newObjectId, numberOfPropertiesMoved) and association keys
 * (associationType, fromObjectId, toObjectId, associationRemoved, isPrimaryAssociation).
 */
import { viewOfActor } from '../store/actors.js';
import { webhookAssociationName } from '../store/association-types.js';
import { OBJECT_TYPE_INFO } from '../store/object-types.js';
import type { StoreEvent } from '../store/store-events.js';
import type { WebhookSubscription } from './webhook-config.js';

export type WebhookEvent = Record<string, unknown> & { eventId: number; attemptNumber: number };

const CHANGE_FLAGS: Partial<Record<StoreEvent['kind'], string>> = {
  creation: 'CREATED',
  deletion: 'DELETED',
  restore: 'RESTORED',
  privacyDeletion: 'DELETED',
};

export function subscriptionTypeOf(event: StoreEvent): string {
  return `${OBJECT_TYPE_INFO[event.objectType].singular}.${event.kind}`;
}

export function matches(subscription: WebhookSubscription, event: StoreEvent): boolean {
  if (!subscription.active || subscription.subscriptionType !== subscriptionTypeOf(event)) return false;
  if (event.kind === 'propertyChange' && subscription.propertyName !== undefined) {
    return subscription.propertyName === event.propertyName;
  }
  return true;
}

export function toWebhookEvent(
  event: StoreEvent,
  subscription: WebhookSubscription,
  ids: { eventId: number; portalId: number; appId: number },
): WebhookEvent {
  const view = viewOfActor(event.actor);
  const payload: WebhookEvent = {
    eventId: ids.eventId,
    subscriptionId: subscription.id,
    portalId: ids.portalId,
    appId: ids.appId,
    occurredAt: event.occurredAt,
    subscriptionType: subscription.subscriptionType,
    attemptNumber: 0,
    objectId: Number(event.objectId),
  };
  switch (event.kind) {
    case 'propertyChange':
      payload.propertyName = event.propertyName;
      payload.propertyValue = event.propertyValue;
      break;
    case 'merge':
      payload.primaryObjectId = Number(event.primaryObjectId);
      payload.mergedObjectIds = event.mergedObjectIds.map(Number);
      payload.newObjectId = Number(event.newObjectId);
      payload.numberOfPropertiesMoved = event.numberOfPropertiesMoved;
      break;
    case 'associationChange':
      payload.associationType = webhookAssociationName(event.objectType, event.toObjectType);
      payload.fromObjectId = Number(event.objectId);
      payload.toObjectId = Number(event.toObjectId);
      payload.associationRemoved = event.associationRemoved;
      payload.isPrimaryAssociation = event.isPrimaryAssociation;
      break;
    default:
      break;
  }
  const flag = CHANGE_FLAGS[event.kind];
  if (flag !== undefined) payload.changeFlag = flag;
  payload.changeSource = view.changeSource;
  payload.sourceId = view.sourceId;
  return payload;
}
