/** Contact: a person at an Account. */
import { bool, date, email, phone, picklist, ref, text, textarea, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { LEAD_SOURCES, SALUTATIONS } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function contactObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields({ owner: true, activity: true }),
    ref('MasterRecordId', 'Master Record ID', ['Contact'], { createable: false, updateable: false, relationshipName: 'MasterRecord' }),
    ref('AccountId', 'Account ID', ['Account'], { childRelationshipName: 'Contacts', indexed: true, cascadeDelete: true }),
    text('LastName', 'Last Name', 80, { required: true }),
    text('FirstName', 'First Name', 40),
    picklist('Salutation', 'Salutation', SALUTATIONS),
    text('Name', 'Full Name', 121, { computed: true, nameField: true }),
    textarea('MailingStreet', 'Mailing Street', 255),
    text('MailingCity', 'Mailing City', 40),
    text('MailingState', 'Mailing State/Province', 80),
    text('MailingPostalCode', 'Mailing Zip/Postal Code', 20),
    text('MailingCountry', 'Mailing Country', 80),
    phone('Phone', 'Business Phone'),
    phone('Fax', 'Business Fax'),
    phone('MobilePhone', 'Mobile Phone'),
    phone('HomePhone', 'Home Phone'),
    ref('ReportsToId', 'Reports To ID', ['Contact']),
    email('Email', 'Email', { indexed: true, idLookup: true }),
    text('Title', 'Title', 128),
    text('Department', 'Department', 80),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    date('Birthdate', 'Birthdate'),
    textarea('Description', 'Contact Description', 32000),
    bool('HasOptedOutOfEmail', 'Email Opt Out'),
    bool('DoNotCall', 'Do Not Call'),
  ];
  return objectDef('Contact', 'Contact', 'Contacts', '003', fields, { mergeable: true });
}
