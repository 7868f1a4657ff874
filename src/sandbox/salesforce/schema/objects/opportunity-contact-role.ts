/** OpportunityContactRole: a Contact's role on an Opportunity (one primary per opportunity). */
import { bool, picklist, ref, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { CONTACT_ROLES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function opportunityContactRoleObject(): ObjectDef {
  const fields: FieldDef[] = [
    ...systemFields(),
    ref('OpportunityId', 'Opportunity ID', ['Opportunity'], {
      required: true,
      updateable: false,
      childRelationshipName: 'OpportunityContactRoles',
      cascadeDelete: true,
      indexed: true,
    }),
    ref('ContactId', 'Contact ID', ['Contact'], {
      childRelationshipName: 'OpportunityContactRoles',
      indexed: true,
      required: true,
      cascadeDelete: true,
    }),
    picklist('Role', 'Role', CONTACT_ROLES),
    bool('IsPrimary', 'Primary'),
  ];
  return objectDef('OpportunityContactRole', 'Opportunity Contact Role', 'Opportunity Contact Role', '00K', fields, {
    searchable: false,
  });
}
