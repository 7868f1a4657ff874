/**
 * The standard properties and groups of a fresh HubSpot portal for contacts, companies and deals:
 * the ones revloop maps and the ones HubSpot maintains itself. Types, field types and options as
 * the Properties API reports them (see docs/sandbox-hubspot.md for what was checked where).
 */
import type { ObjectTypeName } from './object-types.js';
import { INDUSTRY_VALUES, industryLabel } from './industries.js';
import type { PropertyDefinitionInput, PropertyGroup } from './property-definitions.js';

type Extras = Partial<Omit<PropertyDefinitionInput, 'name' | 'label' | 'type' | 'groupName'>>;

function text(name: string, label: string, groupName: string, extras: Extras = {}): PropertyDefinitionInput {
  return { name, label, type: 'string', fieldType: 'text', groupName, ...extras };
}

function enumeration(
  name: string,
  label: string,
  groupName: string,
  options: Array<[value: string, label: string]>,
  extras: Extras = {},
): PropertyDefinitionInput {
  return {
    name,
    label,
    type: 'enumeration',
    fieldType: 'select',
    groupName,
    options: options.map(([value, optionLabel], displayOrder) => ({ value, label: optionLabel, displayOrder })),
    ...extras,
  };
}

const readOnly: Extras = { readOnlyValue: true, formField: false };

export const LIFECYCLE_STAGES: ReadonlyArray<[string, string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

const LEAD_STATUSES: Array<[string, string]> = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
];

const TRAFFIC_SOURCES: Array<[string, string]> = [
  ['ORGANIC_SEARCH', 'Organic Search'],
  ['PAID_SEARCH', 'Paid Search'],
  ['EMAIL_MARKETING', 'Email Marketing'],
  ['SOCIAL_MEDIA', 'Organic Social'],
  ['REFERRALS', 'Referrals'],
  ['OTHER_CAMPAIGNS', 'Other Campaigns'],
  ['DIRECT_TRAFFIC', 'Direct Traffic'],
  ['OFFLINE', 'Offline Sources'],
  ['PAID_SOCIAL', 'Paid Social'],
];

const EMPLOYEE_RANGES: Array<[string, string]> = [
  ['1-5', '1-5'],
  ['5-25', '5-25'],
  ['25-50', '25-50'],
  ['50-100', '50-100'],
  ['100-500', '100-500'],
  ['500-1000', '500-1000'],
  ['1000+', '1000+'],
];

const INDUSTRIES: Array<[string, string]> = INDUSTRY_VALUES.map((v) => [v, industryLabel(v)]);

function owner(label: string): PropertyDefinitionInput {
  return {
    name: 'hubspot_owner_id',
    label,
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'sales_properties',
    externalOptions: true,
    referencedObjectType: 'OWNER',
  };
}

/** Properties every one of the three types has, maintained by the store. */
function systemProperties(modifiedLabel: string, mergedLabel: string, groupName: string): PropertyDefinitionInput[] {
  return [
    { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', groupName, formField: false },
    { name: 'hs_lastmodifieddate', label: modifiedLabel, type: 'datetime', fieldType: 'date', groupName, ...readOnly },
    { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', groupName, ...readOnly },
    text('hs_merged_object_ids', mergedLabel, groupName, readOnly),
  ];
}

function lifecycleStageDates(): PropertyDefinitionInput[] {
  return LIFECYCLE_STAGES.map(([value, label]) => ({
    name: `hs_lifecyclestage_${value}_date`,
    label: `Became a ${label} Date`,
    type: 'datetime',
    fieldType: 'date',
    groupName: 'contactinformation',
    calculated: true,
    ...readOnly,
  }));
}

const CONTACT_PROPERTIES: PropertyDefinitionInput[] = [
  text('email', 'Email', 'contactinformation'),
  text('firstname', 'First Name', 'contactinformation'),
  text('lastname', 'Last Name', 'contactinformation'),
  text('salutation', 'Salutation', 'contactinformation'),
  text('company', 'Company Name', 'contactinformation'),
  text('jobtitle', 'Job Title', 'contactinformation'),
  text('phone', 'Phone Number', 'contactinformation', { fieldType: 'phonenumber' }),
  text('mobilephone', 'Mobile Phone Number', 'contactinformation', { fieldType: 'phonenumber' }),
  text('address', 'Street Address', 'contactinformation'),
  text('city', 'City', 'contactinformation'),
  text('state', 'State/Region', 'contactinformation'),
  text('zip', 'Postal Code', 'contactinformation'),
  text('country', 'Country/Region', 'contactinformation'),
  text('website', 'Website URL', 'contactinformation'),
  // A contact's industry is free text in HubSpot; only the company's `industry` is an enumeration (docs/sandbox-data.md).
  text('industry', 'Industry', 'contactinformation'),
  text('annualrevenue', 'Annual Revenue', 'contactinformation'),
  { name: 'numberofemployees', label: 'Number of Employees', type: 'number', fieldType: 'number', groupName: 'contactinformation' },
  enumeration('numemployees', 'Number of Employees (range)', 'contactinformation', EMPLOYEE_RANGES),
  { name: 'message', label: 'Message', type: 'string', fieldType: 'textarea', groupName: 'contactinformation' },
  enumeration('lifecyclestage', 'Lifecycle Stage', 'contactinformation', [...LIFECYCLE_STAGES], { fieldType: 'radio' }),
  enumeration('hs_lead_status', 'Lead Status', 'sales_properties', LEAD_STATUSES, { fieldType: 'radio' }),
  owner('Contact owner'),
  {
    name: 'hubspotscore',
    label: 'HubSpot Score',
    type: 'number',
    fieldType: 'number',
    groupName: 'contactinformation',
    calculated: true,
    ...readOnly,
  },
  enumeration('hs_analytics_source', 'Original Source', 'analyticsinformation', TRAFFIC_SOURCES, readOnly),
  enumeration('hs_latest_source', 'Latest Traffic Source', 'analyticsinformation', TRAFFIC_SOURCES, readOnly),
  text('hs_analytics_source_data_1', 'Original Source Drill-Down 1', 'analyticsinformation', readOnly),
  text('hs_analytics_first_touch_converting_campaign', 'First Touch Converting Campaign', 'analyticsinformation', readOnly),
  text('hs_analytics_last_touch_converting_campaign', 'Last Touch Converting Campaign', 'analyticsinformation', readOnly),
  text('first_conversion_event_name', 'First Conversion', 'conversioninformation', readOnly),
  { name: 'first_conversion_date', label: 'First Conversion Date', type: 'datetime', fieldType: 'date', groupName: 'conversioninformation', ...readOnly },
  text('recent_conversion_event_name', 'Recent Conversion', 'conversioninformation', readOnly),
  { name: 'recent_conversion_date', label: 'Recent Conversion Date', type: 'datetime', fieldType: 'date', groupName: 'conversioninformation', ...readOnly },
  { name: 'num_conversion_events', label: 'Number of Form Submissions', type: 'number', fieldType: 'number', groupName: 'conversioninformation', ...readOnly },
  {
    name: 'hs_email_optout',
    label: 'Unsubscribed from all email',
    type: 'bool',
    fieldType: 'booleancheckbox',
    groupName: 'emailinformation',
    options: [
      { label: 'True', value: 'true', displayOrder: 0 },
      { label: 'False', value: 'false', displayOrder: 1 },
    ],
    ...readOnly,
  },
  text('hs_additional_emails', 'Additional email addresses', 'contactinformation', readOnly),
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', groupName: 'contactinformation', ...readOnly },
  ...lifecycleStageDates(),
  ...systemProperties('Object last modified date/time', 'Merged Contact IDs', 'contactinformation'),
];

const COMPANY_PROPERTIES: PropertyDefinitionInput[] = [
  text('name', 'Company name', 'companyinformation'),
  text('domain', 'Company Domain Name', 'companyinformation'),
  enumeration('industry', 'Industry', 'companyinformation', INDUSTRIES),
  {
    name: 'annualrevenue',
    label: 'Annual Revenue',
    type: 'number',
    fieldType: 'number',
    groupName: 'companyinformation',
    showCurrencySymbol: true,
  },
  { name: 'numberofemployees', label: 'Number of Employees', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
  text('address', 'Street Address', 'companyinformation'),
  text('city', 'City', 'companyinformation'),
  text('state', 'State/Region', 'companyinformation'),
  text('zip', 'Postal Code', 'companyinformation'),
  text('country', 'Country/Region', 'companyinformation'),
  text('phone', 'Phone Number', 'companyinformation', { fieldType: 'phonenumber' }),
  text('website', 'Website URL', 'companyinformation'),
  { name: 'description', label: 'Description', type: 'string', fieldType: 'textarea', groupName: 'companyinformation' },
  enumeration('lifecyclestage', 'Lifecycle Stage', 'companyinformation', [...LIFECYCLE_STAGES], { fieldType: 'radio' }),
  owner('Company owner'),
  ...systemProperties('Last Modified Date', 'Merged Company IDs', 'companyinformation'),
];

const DEAL_PROPERTIES: PropertyDefinitionInput[] = [
  text('dealname', 'Deal Name', 'dealinformation'),
  {
    name: 'amount',
    label: 'Amount',
    type: 'number',
    fieldType: 'number',
    groupName: 'dealinformation',
    showCurrencySymbol: true,
  },
  {
    name: 'dealstage',
    label: 'Deal Stage',
    type: 'enumeration',
    fieldType: 'radio',
    groupName: 'dealinformation',
    externalOptions: true,
    referencedObjectType: 'PIPELINE_STAGE',
  },
  {
    name: 'pipeline',
    label: 'Pipeline',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'dealinformation',
    externalOptions: true,
    referencedObjectType: 'PIPELINE',
  },
  { name: 'closedate', label: 'Close Date', type: 'datetime', fieldType: 'date', groupName: 'dealinformation' },
  enumeration('dealtype', 'Deal Type', 'dealinformation', [
    ['newbusiness', 'New Business'],
    ['existingbusiness', 'Existing Business'],
  ]),
  { name: 'description', label: 'Deal Description', type: 'string', fieldType: 'textarea', groupName: 'dealinformation' },
  { name: 'closed_lost_reason', label: 'Closed Lost Reason', type: 'string', fieldType: 'textarea', groupName: 'dealinformation' },
  { name: 'closed_won_reason', label: 'Closed Won Reason', type: 'string', fieldType: 'textarea', groupName: 'dealinformation' },
  { ...owner('Deal owner'), groupName: 'dealinformation' },
  ...systemProperties('Last Modified Date', 'Merged Deal IDs', 'dealinformation'),
];

export const DEFAULT_PROPERTIES: Readonly<Record<ObjectTypeName, readonly PropertyDefinitionInput[]>> = {
  contacts: CONTACT_PROPERTIES,
  companies: COMPANY_PROPERTIES,
  deals: DEAL_PROPERTIES,
};

export const DEFAULT_GROUPS: Readonly<Record<ObjectTypeName, readonly PropertyGroup[]>> = {
  contacts: [
    { name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false },
    { name: 'emailinformation', label: 'Email information', displayOrder: 1, archived: false },
    { name: 'sales_properties', label: 'Sales properties', displayOrder: 2, archived: false },
    { name: 'analyticsinformation', label: 'Web analytics history', displayOrder: 3, archived: false },
    { name: 'conversioninformation', label: 'Conversion information', displayOrder: 4, archived: false },
  ],
  companies: [
    { name: 'companyinformation', label: 'Company information', displayOrder: 0, archived: false },
    { name: 'sales_properties', label: 'Sales properties', displayOrder: 1, archived: false },
    { name: 'analyticsinformation', label: 'Web analytics history', displayOrder: 2, archived: false },
  ],
  deals: [
    { name: 'dealinformation', label: 'Deal information', displayOrder: 0, archived: false },
    { name: 'analyticsinformation', label: 'Web analytics history', displayOrder: 1, archived: false },
  ],
};
