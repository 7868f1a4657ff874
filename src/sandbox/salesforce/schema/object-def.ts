/** The metadata of one sObject type, close to Salesforce's describe `DescribeSObjectResult`. */
import type { FieldDef } from './field-def.js';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  undeletable: boolean;
  mergeable: boolean;
  /** getUpdated / getDeleted supported. */
  replicateable: boolean;
  searchable: boolean;
  layoutable: boolean;
  triggerable: boolean;
  /** Offset of the id counter, for objects sharing a key prefix (LeadStatus and OpportunityStage share 01J). */
  idBase?: number;
}

export function objectDef(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  fields: FieldDef[],
  flags: Partial<Omit<ObjectDef, 'name' | 'label' | 'labelPlural' | 'keyPrefix' | 'fields'>> = {},
): ObjectDef {
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    fields,
    createable: flags.createable ?? true,
    updateable: flags.updateable ?? true,
    deletable: flags.deletable ?? true,
    undeletable: flags.undeletable ?? flags.deletable ?? true,
    mergeable: flags.mergeable ?? false,
    replicateable: flags.replicateable ?? true,
    searchable: flags.searchable ?? true,
    layoutable: flags.layoutable ?? true,
    triggerable: flags.triggerable ?? true,
    ...(flags.idBase === undefined ? {} : { idBase: flags.idBase }),
  };
}
