/** Property definitions and groups in the Properties API's JSON shape. */
import type { HubSpotStore } from '../store/hubspot-store.js';
import type { ObjectTypeName } from '../store/object-types.js';
import type { PropertyDefinition, PropertyGroup, PropertyOption } from '../store/property-definitions.js';
import { isoString } from '../../../platform/iso-time.js';

/** Options of properties whose choices live elsewhere: owners, pipelines, deal stages. */
function externalOptions(store: HubSpotStore, type: ObjectTypeName, def: PropertyDefinition): PropertyOption[] | undefined {
  if (def.referencedObjectType === 'OWNER') {
    return store.owners.list().map((o, i) => ({
      label: `${o.firstName} ${o.lastName} (${o.email})`,
      value: o.id,
      displayOrder: i,
      hidden: false,
    }));
  }
  if (type === 'deals' && def.name === 'pipeline') {
    return store.pipelines.list().map((p) => ({ label: p.label, value: p.id, displayOrder: p.displayOrder, hidden: false }));
  }
  if (type === 'deals' && def.name === 'dealstage') {
    return store.pipelines.list().flatMap((p) =>
      p.stages.map((s) => ({ label: s.label, value: s.id, description: `${p.label}`, displayOrder: s.displayOrder, hidden: false })),
    );
  }
  return undefined;
}

export function propertyJson(store: HubSpotStore, type: ObjectTypeName, def: PropertyDefinition): Record<string, unknown> {
  return {
    updatedAt: isoString(def.updatedAt),
    createdAt: isoString(def.createdAt),
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: externalOptions(store, type, def) ?? def.options,
    displayOrder: def.displayOrder,
    calculated: def.calculated,
    externalOptions: def.externalOptions,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    ...(def.showCurrencySymbol !== undefined ? { showCurrencySymbol: def.showCurrencySymbol } : {}),
    ...(def.referencedObjectType !== undefined ? { referencedObjectType: def.referencedObjectType } : {}),
    modificationMetadata: {
      archivable: def.archivable,
      readOnlyDefinition: def.readOnlyDefinition,
      readOnlyValue: def.readOnlyValue,
    },
    formField: def.formField,
    dataSensitivity: 'non_sensitive',
    archived: def.archived,
    ...(def.archivedAt !== undefined ? { archivedAt: isoString(def.archivedAt) } : {}),
  };
}

export function groupJson(group: PropertyGroup): Record<string, unknown> {
  return { name: group.name, label: group.label, displayOrder: group.displayOrder, archived: group.archived };
}
