/** The four mapping files, parsed and checked together. */
import type { LifecycleFile } from './schema/lifecycle.js';
import type { CompaniesFile, ContactsFile } from './schema/object-mapping.js';
import type { OpportunitiesFile } from './schema/opportunities.js';

export const MAPPING_FILES = {
  lifecycle: 'lifecycle.yaml',
  contacts: 'contacts.yaml',
  companies: 'companies.yaml',
  opportunities: 'opportunities.yaml',
} as const;

export type MappingFileKey = keyof typeof MAPPING_FILES;

export interface MappingSet {
  lifecycle: LifecycleFile;
  contacts: ContactsFile;
  companies: CompaniesFile;
  opportunities: OpportunitiesFile;
}

/** The HubSpot property revloop keeps the canonical stage in. */
export const STAGE_PROPERTY = 'revloop_stage';

/** The HubSpot property receiving the time a person entered `stageId`. */
export function stageDateProperty(stageId: string): string {
  // Asked for every stage of every person: one string per stage, not one per call.
  let name = stageDateNames.get(stageId);
  if (name === undefined) {
    name = `revloop_${stageId}_date`;
    if (stageDateNames.size < 1_000) stageDateNames.set(stageId, name);
  }
  return name;
}

const stageDateNames = new Map<string, string>();
