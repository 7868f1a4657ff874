/**
 * The DEFAULT sandbox org: one where the admin has done revloop's setup (its custom fields and extra Lead Status
 * values). Change revloop's install requirements here. `bareOrg: true` starts without any of it (install checks).
 */
import type { CustomFieldInput, CustomFieldsConfig } from './schema/custom-field-input.js';
import type { LeadStatusDef } from './schema/picklists.js';

const hubspotId: CustomFieldInput = {
  name: 'Revloop_HubSpot_Id__c',
  label: 'HubSpot Id',
  type: 'string',
  length: 32,
  externalId: true,
  unique: true,
};

const personFields: CustomFieldInput[] = [
  hubspotId,
  { name: 'Revloop_Stage__c', label: 'Lifecycle Stage', type: 'string', length: 40 },
  { name: 'Revloop_MQL_Date__c', label: 'MQL Date', type: 'datetime' },
  { name: 'Revloop_SAL_Date__c', label: 'SAL Date', type: 'datetime' },
  { name: 'Revloop_SQL_Date__c', label: 'SQL Date', type: 'datetime' },
  { name: 'Revloop_Recycle_Reason__c', label: 'Recycle Reason', type: 'string', length: 255 },
  { name: 'Revloop_Disqualify_Reason__c', label: 'Disqualify Reason', type: 'string', length: 255 },
  { name: 'Revloop_Lead_Score__c', label: 'Lead Score', type: 'double', precision: 18, scale: 0 },
];

export const REVLOOP_CUSTOM_FIELDS: CustomFieldsConfig = {
  Lead: personFields,
  Contact: personFields,
  Account: [hubspotId],
  Opportunity: [
    {
      name: 'Loss_Reason__c',
      label: 'Loss Reason',
      type: 'picklist',
      picklistValues: ['Price', 'Competitor', 'No Budget', 'No Decision', 'Timing', 'Product Fit', 'Other'],
      restricted: true,
    },
    { name: 'Revloop_Source__c', label: 'Source', type: 'string', length: 255 },
    { name: 'Revloop_First_Campaign__c', label: 'First Campaign', type: 'string', length: 255 },
    { name: 'Revloop_Last_Campaign__c', label: 'Last Campaign', type: 'string', length: 255 },
  ],
};

/** Lead Status values revloop's lifecycle needs besides the four standard ones, inserted after "Working - Contacted". */
export const REVLOOP_LEAD_STATUSES: readonly LeadStatusDef[] = [
  { apiName: 'Qualified', isDefault: false, isConverted: false },
  { apiName: 'Recycled', isDefault: false, isConverted: false },
];
