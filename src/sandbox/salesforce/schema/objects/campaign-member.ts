/** CampaignMember: a Lead or Contact in a Campaign. */
import { bool, date, email, picklist, ref, text, type FieldDef } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { CAMPAIGN_MEMBER_STATUSES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function campaignMemberObject(): ObjectDef {
  const readOnly = { createable: false, updateable: false };
  const mirrored = { ...readOnly, calculated: true, computed: true };
  const fields: FieldDef[] = [
    ...systemFields(),
    ref('CampaignId', 'Campaign ID', ['Campaign'], {
      required: true,
      updateable: false,
      childRelationshipName: 'CampaignMembers',
      cascadeDelete: true,
      indexed: true,
    }),
    ref('LeadId', 'Lead ID', ['Lead'], { updateable: false, childRelationshipName: 'CampaignMembers', cascadeDelete: true, indexed: true }),
    ref('ContactId', 'Contact ID', ['Contact'], { childRelationshipName: 'CampaignMembers', cascadeDelete: true, indexed: true }),
    picklist('Status', 'Status', CAMPAIGN_MEMBER_STATUSES, { default: 'Sent' }),
    bool('HasResponded', 'Responded', readOnly),
    date('FirstRespondedDate', 'First Responded Date', readOnly),
    text('Type', 'Type', 40, mirrored),
    text('FirstName', 'First Name', 40, mirrored),
    text('LastName', 'Last Name', 80, mirrored),
    text('Title', 'Title', 128, mirrored),
    email('Email', 'Email', mirrored),
    text('CompanyOrAccount', 'Company (Account)', 255, mirrored),
  ];
  return objectDef('CampaignMember', 'Campaign Member', 'Campaign Members', '00v', fields, { searchable: false });
}
