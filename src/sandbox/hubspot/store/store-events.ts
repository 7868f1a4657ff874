/**
 * What the store reports after each change. The webhook dispatcher turns these into HubSpot
 * webhook events; tests and the activity driver may listen too.
 */
import type { Actor } from './actors.js';
import type { ObjectTypeName } from './object-types.js';

interface EventBase {
  objectType: ObjectTypeName;
  objectId: string;
  /** Epoch ms on the store's clock. */
  occurredAt: number;
  actor: Actor;
}

export type StoreEvent =
  | (EventBase & { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion' })
  | (EventBase & { kind: 'propertyChange'; propertyName: string; propertyValue: string })
  | (EventBase & {
      kind: 'merge';
      primaryObjectId: string;
      mergedObjectIds: string[];
      newObjectId: string;
      numberOfPropertiesMoved: number;
    })
  | (EventBase & {
      kind: 'associationChange';
      toObjectType: ObjectTypeName;
      toObjectId: string;
      associationTypeIds: number[];
      associationRemoved: boolean;
      isPrimaryAssociation: boolean;
    });

export type StoreEventKind = StoreEvent['kind'];
export type StoreEventListener = (event: StoreEvent) => void;
