/** The fields every record carries, maintained by the org itself. */
import { bool, datetime, idField, ref, date, type FieldDef } from './field-def.js';

export interface SystemFieldOptions {
  /** OwnerId (a User). */
  owner?: boolean;
  /** LastActivityDate (read-only). */
  activity?: boolean;
  /** IsDeleted (objects in the recycle bin). */
  deletable?: boolean;
}

export function systemFields(options: SystemFieldOptions = {}): FieldDef[] {
  const fields: FieldDef[] = [idField()];
  if (options.deletable !== false) fields.push(bool('IsDeleted', 'Deleted', { createable: false, updateable: false }));
  if (options.owner === true) {
    fields.push(ref('OwnerId', 'Owner ID', ['User'], { nillable: false, defaulted: true, indexed: false }));
  }
  fields.push(
    datetime('CreatedDate', 'Created Date', { createable: false, updateable: false, nillable: false, defaulted: true, audit: true, indexed: true }),
    ref('CreatedById', 'Created By ID', ['User'], { createable: false, updateable: false, nillable: false, defaulted: true, audit: true }),
    datetime('LastModifiedDate', 'Last Modified Date', {
      createable: false,
      updateable: false,
      nillable: false,
      defaulted: true,
      audit: true,
      indexed: true,
    }),
    ref('LastModifiedById', 'Last Modified By ID', ['User'], {
      createable: false,
      updateable: false,
      nillable: false,
      defaulted: true,
      audit: true,
    }),
    datetime('SystemModstamp', 'System Modstamp', {
      createable: false,
      updateable: false,
      nillable: false,
      defaulted: true,
      audit: true,
      indexed: true,
    }),
  );
  if (options.activity === true) fields.push(date('LastActivityDate', 'Last Activity', { createable: false, updateable: false }));
  return fields;
}
