/**
 * Writes planned units into the HubSpot store without HTTP: companies, then contacts (associated with their company
 * as primary), then each contact's later changes at the moment they happened (history, stage dates and modified
 * stamps follow). Quiet: seeding sends no webhooks.
 */
import type { Actor } from '../hubspot/store/actors.js';
import type { CreateInput, HubSpotStore } from '../hubspot/store/hubspot-store.js';
import { CALCULATED } from './actors.js';
import type { PersonPlan, UnitPlan } from './plan-types.js';

const PRIMARY_CONTACT_TO_COMPANY = 1;

export function writeHubSpot(store: HubSpotStore, units: readonly UnitPlan[]): void {
  const withCompany = units.filter((u) => u.hubspotCompany !== null && u.companyTruth !== null);
  const companyIds = store.createMany(
    'companies',
    withCompany.map((u) => ({ properties: u.hubspotCompany?.properties ?? {} })),
    { actor: CALCULATED, quiet: true },
  );
  withCompany.forEach((unit, i) => {
    if (unit.companyTruth !== null) unit.companyTruth.hubspotId = companyIds[i] ?? null;
  });

  const groups = new Map<string, { actor: Actor; people: PersonPlan[]; inputs: CreateInput[] }>();
  for (const unit of units) {
    const companyId = unit.companyTruth?.hubspotId ?? null;
    for (const person of unit.people) {
      if (person.hubspot === null) continue;
      const key = JSON.stringify(person.hubspot.actor);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { actor: person.hubspot.actor, people: [], inputs: [] }));
      group.people.push(person);
      group.inputs.push({
        properties: person.hubspot.properties,
        ...(companyId === null ? {} : { associations: [{ toType: 'companies', toId: companyId, typeIds: [PRIMARY_CONTACT_TO_COMPANY] }] }),
      });
    }
  }
  for (const group of groups.values()) {
    const ids = store.createMany('contacts', group.inputs, { actor: group.actor, quiet: true });
    group.people.forEach((person, i) => {
      if (person.truth.hubspot !== null) person.truth.hubspot.id = ids[i] ?? '';
    });
  }
  for (const unit of units) {
    for (const person of unit.people) {
      const id = person.truth.hubspot?.id;
      if (person.hubspot === null || id === undefined) continue;
      for (const update of person.hubspot.updates) store.update('contacts', id, update.properties, { actor: update.actor, at: update.at, quiet: true });
    }
  }
}
