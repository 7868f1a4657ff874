/** What every activity action works with: the stores, the driver's view of them, random draws and name pools. */
import type { HubSpotStore } from '../hubspot/store/hubspot-store.js';
import type { NamePools } from '../generator/name-pools.js';
import type { Rng } from '../generator/rng.js';
import type { SalesforceStore } from '../salesforce/store/salesforce-store.js';
import type { Rep, World } from './world.js';

export interface ActionContext {
  rng: Rng;
  world: World;
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
  pools: NamePools;
  /** A counter that makes generated emails unique. */
  next(): number;
}

/** The rep a Salesforce record belongs to (its owner when that is one of the reps), else one drawn at random. */
export function repFor(ctx: ActionContext, ownerId: unknown, reps: readonly Rep[]): Rep {
  return reps.find((r) => r.salesforceUserId === ownerId) ?? ctx.rng.pick(reps);
}

export function asciiName(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}
