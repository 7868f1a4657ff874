/** Opportunity: a deal. IsClosed, IsWon, Probability and the forecast category follow its stage (OpportunityStage). */
import { bool, currency, date, double, int, percent, picklist, ref, text, textarea, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { FORECAST_CATEGORIES, FORECAST_CATEGORY_NAMES, LEAD_SOURCES, OPPORTUNITY_TYPES, type StageDef } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function opportunityObject(stages: readonly StageDef[]): ObjectDef {
  const readOnly = { createable: false, updateable: false };
  const fields: FieldDef[] = [
    ...systemFields({ owner: true, activity: true }),
    ref('AccountId', 'Account ID', ['Account'], { childRelationshipName: 'Opportunities', indexed: true, cascadeDelete: true }),
    bool('IsPrivate', 'Private'),
    text('Name', 'Name', 120, { required: true, nameField: true }),
    textarea('Description', 'Description', 32000),
    picklist('StageName', 'Stage', stages.map((s) => s.apiName), { required: true, restricted: true }),
    currency('Amount', 'Amount'),
    percent('Probability', 'Probability (%)', { defaulted: true }),
    currency('ExpectedRevenue', 'Expected Amount', { ...readOnly, calculated: true, computed: true }),
    double('TotalOpportunityQuantity', 'Quantity', { scale: 2 }),
    date('CloseDate', 'Close Date', { required: true }),
    picklist('Type', 'Opportunity Type', OPPORTUNITY_TYPES),
    text('NextStep', 'Next Step', 255),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    bool('IsClosed', 'Closed', readOnly),
    bool('IsWon', 'Won', readOnly),
    picklist('ForecastCategory', 'Forecast Category', FORECAST_CATEGORIES, { ...readOnly, defaulted: true }),
    picklist('ForecastCategoryName', 'Forecast Category', FORECAST_CATEGORY_NAMES, { defaulted: true }),
    ref('CampaignId', 'Campaign ID', ['Campaign'], { childRelationshipName: 'Opportunities', indexed: true }),
    ref('ContactId', 'Contact ID', ['Contact'], { childRelationshipName: 'Opportunities', indexed: true }),
    bool('HasOpportunityLineItem', 'Has Line Item', readOnly),
    int('FiscalQuarter', 'Fiscal Quarter', { ...readOnly, digits: 2 }),
    int('FiscalYear', 'Fiscal Year', { ...readOnly, digits: 4 }),
    text('Fiscal', 'Fiscal Period', 6, readOnly),
  ];
  return objectDef('Opportunity', 'Opportunity', 'Opportunities', '006', fields);
}
