/** Account: a company. */
import { currency, int, phone, picklist, ref, text, textarea, url, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { ACCOUNT_OWNERSHIP, ACCOUNT_TYPES, INDUSTRIES, LEAD_SOURCES, RATINGS } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function accountObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields({ owner: true, activity: true }),
    ref('MasterRecordId', 'Master Record ID', ['Account'], { createable: false, updateable: false, relationshipName: 'MasterRecord' }),
    text('Name', 'Account Name', 255, { required: true, nameField: true }),
    picklist('Type', 'Account Type', ACCOUNT_TYPES),
    ref('ParentId', 'Parent Account ID', ['Account'], { childRelationshipName: 'ChildAccounts', indexed: true }),
    textarea('BillingStreet', 'Billing Street', 255),
    text('BillingCity', 'Billing City', 40),
    text('BillingState', 'Billing State/Province', 80),
    text('BillingPostalCode', 'Billing Zip/Postal Code', 20),
    text('BillingCountry', 'Billing Country', 80),
    textarea('ShippingStreet', 'Shipping Street', 255),
    text('ShippingCity', 'Shipping City', 40),
    text('ShippingState', 'Shipping State/Province', 80),
    text('ShippingPostalCode', 'Shipping Zip/Postal Code', 20),
    text('ShippingCountry', 'Shipping Country', 80),
    phone('Phone', 'Account Phone'),
    phone('Fax', 'Account Fax'),
    text('AccountNumber', 'Account Number', 40),
    url('Website', 'Website'),
    text('Sic', 'SIC Code', 20),
    picklist('Industry', 'Industry', INDUSTRIES),
    currency('AnnualRevenue', 'Annual Revenue', { scale: 0 }),
    int('NumberOfEmployees', 'Employees', { digits: 8 }),
    picklist('Ownership', 'Ownership', ACCOUNT_OWNERSHIP),
    text('TickerSymbol', 'Ticker Symbol', 20),
    textarea('Description', 'Account Description', 32000),
    picklist('Rating', 'Account Rating', RATINGS),
    text('Site', 'Account Site', 80),
    picklist('AccountSource', 'Account Source', LEAD_SOURCES),
  ];
  return objectDef('Account', 'Account', 'Accounts', '001', fields, { mergeable: true });
}
