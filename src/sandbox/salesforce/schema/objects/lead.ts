/** Lead: a person not yet qualified; converted into an Account, a Contact and optionally an Opportunity. */
import { bool, currency, date, email, int, phone, picklist, ref, text, textarea, url, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { INDUSTRIES, LEAD_SOURCES, RATINGS, SALUTATIONS, type LeadStatusDef } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function leadObject(statuses: readonly LeadStatusDef[]): ObjectDef {
  const defaultStatus = statuses.find((s) => s.isDefault)?.apiName;
  const readOnly = { createable: false, updateable: false };
  const fields: FieldDef[] = [
    ...systemFields({ owner: true, activity: true }),
    ref('MasterRecordId', 'Master Record ID', ['Lead'], { ...readOnly, relationshipName: 'MasterRecord' }),
    text('LastName', 'Last Name', 80, { required: true }),
    text('FirstName', 'First Name', 40),
    picklist('Salutation', 'Salutation', SALUTATIONS),
    text('Name', 'Full Name', 121, { computed: true, nameField: true }),
    text('Title', 'Title', 128),
    text('Company', 'Company', 255, { required: true }),
    textarea('Street', 'Street', 255),
    text('City', 'City', 40),
    text('State', 'State/Province', 80),
    text('PostalCode', 'Zip/Postal Code', 20),
    text('Country', 'Country', 80),
    phone('Phone', 'Phone'),
    phone('MobilePhone', 'Mobile Phone'),
    phone('Fax', 'Fax'),
    email('Email', 'Email', { indexed: true, idLookup: true }),
    url('Website', 'Website'),
    textarea('Description', 'Description', 32000),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    picklist('Status', 'Status', statuses.map((s) => s.apiName), {
      required: true,
      restricted: true,
      ...(defaultStatus === undefined ? {} : { default: defaultStatus }),
    }),
    picklist('Industry', 'Industry', INDUSTRIES),
    picklist('Rating', 'Rating', RATINGS),
    currency('AnnualRevenue', 'Annual Revenue', { scale: 0 }),
    int('NumberOfEmployees', 'Employees', { digits: 8 }),
    bool('HasOptedOutOfEmail', 'Email Opt Out'),
    bool('DoNotCall', 'Do Not Call'),
    bool('IsUnreadByOwner', 'Unread By Owner', { defaultValue: true }),
    bool('IsConverted', 'Converted', readOnly),
    date('ConvertedDate', 'Converted Date', readOnly),
    ref('ConvertedAccountId', 'Converted Account ID', ['Account'], readOnly),
    ref('ConvertedContactId', 'Converted Contact ID', ['Contact'], readOnly),
    ref('ConvertedOpportunityId', 'Converted Opportunity ID', ['Opportunity'], readOnly),
  ];
  return objectDef('Lead', 'Lead', 'Leads', '00Q', fields, { mergeable: true });
}
