/** Campaign: a marketing campaign; its Number... and Amount... fields roll up its members and opportunities. */
import { bool, currency, date, double, int, percent, picklist, ref, text, textarea, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function campaignObject(): ObjectDef {
  const rollup = { createable: false, updateable: false, calculated: true, computed: true };
  const fields: FieldDef[] = [
    ...systemFields({ owner: true }),
    text('Name', 'Name', 80, { required: true, nameField: true }),
    ref('ParentId', 'Parent Campaign ID', ['Campaign'], { childRelationshipName: 'ChildCampaigns' }),
    picklist('Type', 'Type', CAMPAIGN_TYPES),
    picklist('Status', 'Status', CAMPAIGN_STATUSES),
    date('StartDate', 'Start Date'),
    date('EndDate', 'End Date'),
    currency('ExpectedRevenue', 'Expected Revenue in Campaign', { scale: 0 }),
    currency('BudgetedCost', 'Budgeted Cost in Campaign', { scale: 0 }),
    currency('ActualCost', 'Actual Cost in Campaign', { scale: 0 }),
    percent('ExpectedResponse', 'Expected Response (%)', { precision: 8, scale: 2 }),
    double('NumberSent', 'Num Sent in Campaign'),
    bool('IsActive', 'Active'),
    textarea('Description', 'Description', 32000),
    int('NumberOfLeads', 'Leads in Campaign', rollup),
    int('NumberOfConvertedLeads', 'Converted Leads in Campaign', rollup),
    int('NumberOfContacts', 'Contacts in Campaign', rollup),
    int('NumberOfResponses', 'Responses in Campaign', rollup),
    int('NumberOfOpportunities', 'Opportunities in Campaign', rollup),
    int('NumberOfWonOpportunities', 'Won Opportunities in Campaign', rollup),
    currency('AmountAllOpportunities', 'Value Opportunities in Campaign', rollup),
    currency('AmountWonOpportunities', 'Value Won Opportunities in Campaign', rollup),
  ];
  return objectDef('Campaign', 'Campaign', 'Campaigns', '701', fields);
}
