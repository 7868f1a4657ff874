/** The shared state the store's parts (reader, writer, merger, associations) work on. */
import type { ActorTable } from './actors.js';
import type { AssociationStore } from './association-store.js';
import type { ObjectTable } from './object-table.js';
import type { ObjectTypeName } from './object-types.js';
import type { OwnerDirectory } from './owners.js';
import type { PipelineRegistry } from './pipelines.js';
import type { PropertyRegistry } from './property-registry.js';
import type { StoreEvent } from './store-events.js';
import type { UniqueIndex } from './unique-index.js';

export interface StoreContext {
  readonly now: () => number;
  readonly tables: Readonly<Record<ObjectTypeName, ObjectTable>>;
  readonly registry: PropertyRegistry;
  readonly owners: OwnerDirectory;
  readonly pipelines: PipelineRegistry;
  readonly associations: AssociationStore;
  readonly actors: ActorTable;
  readonly unique: UniqueIndex;
  emit(events: StoreEvent[]): void;
}
