/** OpportunityStage and LeadStatus: read-only metadata objects, queryable by SOQL (they share key prefix 01J). */
import { bool, double, int, picklist, text, textarea, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { FORECAST_CATEGORIES, FORECAST_CATEGORY_NAMES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

const RO = { createable: false, updateable: false };

export function opportunityStageObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields({ deletable: false }),
    text('ApiName', 'Api Name', 255, RO),
    text('MasterLabel', 'Master Label', 255, { ...RO, nameField: true }),
    bool('IsActive', 'Is Active', RO),
    int('SortOrder', 'Sort Order', RO),
    bool('IsClosed', 'Is Closed', RO),
    bool('IsWon', 'Is Won', RO),
    picklist('ForecastCategory', 'Forecast Type', FORECAST_CATEGORIES, RO),
    picklist('ForecastCategoryName', 'Forecast Category', FORECAST_CATEGORY_NAMES, RO),
    double('DefaultProbability', 'Default Probability', RO),
    textarea('Description', 'Description', 255, RO),
  ];
  return objectDef('OpportunityStage', 'Opportunity Stage', 'Opportunity Stages', '01J', fields, {
    createable: false,
    updateable: false,
    deletable: false,
    searchable: false,
    layoutable: false,
    triggerable: false,
    replicateable: false,
  });
}

export function leadStatusObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields({ deletable: false }),
    text('ApiName', 'Api Name', 255, RO),
    text('MasterLabel', 'Master Label', 255, { ...RO, nameField: true }),
    int('SortOrder', 'Sort Order', RO),
    bool('IsDefault', 'Is Default', RO),
    bool('IsConverted', 'Is Converted', RO),
  ];
  return objectDef('LeadStatus', 'Lead Status Value', 'Lead Status Value', '01J', fields, {
    createable: false,
    updateable: false,
    deletable: false,
    searchable: false,
    layoutable: false,
    triggerable: false,
    replicateable: false,
    idBase: 1_000_000,
  });
}
