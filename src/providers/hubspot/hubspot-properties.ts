/** HubSpot property definitions: read what a portal has, create what revloop needs (in its own group). */
import type { Priority } from '../budget/api-budget.js';
import type { HubSpotApi } from './hubspot-api.js';
import type { HubSpotObjectType } from './hubspot-objects.js';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'checkbox' | 'booleancheckbox';
  description?: string;
  options?: Array<{ label: string; value: string; displayOrder?: number }>;
  /** Values unique across records (a key to upsert by). */
  hasUniqueValue?: boolean;
}

export interface ExistingProperty {
  name: string;
  type: string;
  options: string[];
}

export const REVLOOP_GROUP = 'revloop';

export class HubSpotProperties {
  constructor(private readonly api: HubSpotApi) {}

  /** `priority`: a backfill's set-up takes backfill's budget, so it does not hold the backfill to live's share. */
  async list(objectType: HubSpotObjectType, priority: Priority = 'live'): Promise<Map<string, ExistingProperty>> {
    const response = await this.api.call(`properties.${objectType}.list`, (c) => c.crm.properties.coreApi.getAllWithHttpInfo(objectType, false), priority);
    const out = new Map<string, ExistingProperty>();
    for (const p of response.data.results) out.set(p.name, { name: p.name, type: p.type, options: (p.options ?? []).map((o) => o.value) });
    return out;
  }

  async ensureGroup(objectType: HubSpotObjectType, priority: Priority = 'live'): Promise<void> {
    const groups = await this.api.call(`properties.${objectType}.groups`, (c) => c.crm.properties.groupsApi.getAllWithHttpInfo(objectType), priority);
    if (groups.data.results.some((g) => g.name === REVLOOP_GROUP)) return;
    await this.api.call(`properties.${objectType}.groups.create`, (c) => c.crm.properties.groupsApi.create(objectType, { name: REVLOOP_GROUP, label: 'revloop', displayOrder: -1 }), priority, 'standard', false);
  }

  /** Creates the given properties in revloop's group (one batch call). */
  async create(objectType: HubSpotObjectType, definitions: readonly PropertyDefinition[], priority: Priority = 'live'): Promise<void> {
    if (definitions.length === 0) return;
    await this.api.call(`properties.${objectType}.batch.create`, (c) =>
      c.crm.properties.batchApi.create(objectType, {
        inputs: definitions.map((d) => ({
          name: d.name,
          label: d.label,
          type: d.type as never,
          fieldType: d.fieldType as never,
          groupName: REVLOOP_GROUP,
          ...(d.description ? { description: d.description } : {}),
          ...(d.hasUniqueValue ? { hasUniqueValue: true } : {}),
          ...(d.options ? { options: d.options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: false })) } : {}),
        })),
      }),
      priority,
      'standard',
      false,
    );
  }
}
