/** User: a person who logs in; owns records. Users cannot be deleted, only deactivated. */
import { bool, email, phone, picklist, ref, text, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { EMAIL_ENCODINGS, LANGUAGES, LOCALES, TIME_ZONES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function userObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields({ deletable: false }),
    text('Username', 'Username', 80, { required: true, unique: true, idLookup: true }),
    text('LastName', 'Last Name', 80, { required: true }),
    text('FirstName', 'First Name', 40),
    text('Name', 'Full Name', 121, { computed: true, nameField: true }),
    text('CompanyName', 'Company Name', 80),
    text('Division', 'Division', 80),
    text('Department', 'Department', 80),
    text('Title', 'Title', 80),
    email('Email', 'Email', { required: true, indexed: true }),
    phone('Phone', 'Phone'),
    phone('MobilePhone', 'Mobile'),
    text('Alias', 'Alias', 8, { required: true }),
    bool('IsActive', 'Active', { defaultValue: true }),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES, { required: true, default: 'GMT' }),
    picklist('LocaleSidKey', 'Locale', LOCALES, { required: true, default: 'en_US' }),
    picklist('EmailEncodingKey', 'Email Encoding', EMAIL_ENCODINGS, { required: true, default: 'UTF-8' }),
    picklist('LanguageLocaleKey', 'Language', LANGUAGES, { required: true, default: 'en_US' }),
    picklist('UserType', 'User Type', ['Standard'], { createable: false, updateable: false, default: 'Standard' }),
    ref('ManagerId', 'Manager ID', ['User'], { childRelationshipName: 'ManagedUsers' }),
  ];
  return objectDef('User', 'User', 'Users', '005', fields, { deletable: false, undeletable: false });
}
