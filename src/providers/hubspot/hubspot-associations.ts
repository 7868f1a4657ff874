/**
 * Associations v4 in batches: the default association between two object types (deal → contact,
 * deal → company) created or removed for many pairs per call.
 */
import { chunks, mapLimit } from '../../platform/concurrency.js';
import type { Priority } from '../budget/api-budget.js';
import type { HubSpotApi } from './hubspot-api.js';
import type { HubSpotObjectType } from './hubspot-objects.js';

const BATCH = 100;
const PARALLEL = 2;

export interface AssociationPair {
  from: string;
  to: string;
}

export class HubSpotAssociations {
  constructor(private readonly api: HubSpotApi) {}

  /** Creates the default association for each pair (idempotent: an existing one stays). */
  async associate(from: HubSpotObjectType, to: HubSpotObjectType, pairs: readonly AssociationPair[], priority: Priority = 'live'): Promise<void> {
    await mapLimit(chunks(pairs, BATCH), PARALLEL, async (chunk) => {
      await this.api.call(`associations.${from}.${to}.batch.associate`, (c) => c.crm.associations.v4.batchApi.createDefault(from, to, { inputs: chunk.map((p) => ({ _from: { id: p.from }, to: { id: p.to } })) }), priority);
    });
  }

  /** Removes every association between each pair. */
  async dissociate(from: HubSpotObjectType, to: HubSpotObjectType, pairs: readonly AssociationPair[], priority: Priority = 'live'): Promise<void> {
    const grouped = new Map<string, string[]>();
    for (const p of pairs) grouped.set(p.from, [...(grouped.get(p.from) ?? []), p.to]);
    await mapLimit(chunks([...grouped], BATCH), PARALLEL, async (chunk) => {
      await this.api.call(`associations.${from}.${to}.batch.archive`, (c) => c.crm.associations.v4.batchApi.archive(from, to, { inputs: chunk.map(([id, tos]) => ({ _from: { id }, to: tos.map((t) => ({ id: t })) })) }), priority);
    });
  }
}
