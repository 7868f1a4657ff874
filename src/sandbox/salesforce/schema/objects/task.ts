/** Task: an activity on a Lead or Contact (Who) and an Account, Opportunity or Campaign (What). */
import { bool, date, datetime, picklist, ref, textarea, field, type FieldDef } from '../field-def.js';
import { entries } from '../field-def.js';
import { objectDef, type ObjectDef } from '../object-def.js';
import { TASK_PRIORITIES, TASK_STATUSES, TASK_SUBTYPES, TASK_TYPES } from '../picklists.js';
import { systemFields } from '../system-fields.js';

export function taskObject(): ObjectDef {
  const readOnly = { createable: false, updateable: false };
  const subject = field('Subject', 'Subject', 'combobox', 255);
  subject.picklistValues = entries(['Call', 'Send Letter', 'Send Quote', 'Other']);
  const fields: FieldDef[] = [
    ...systemFields({ owner: true }),
    ref('WhoId', 'Name ID', ['Contact', 'Lead'], { relationshipName: 'Who', childRelationshipName: 'Tasks', indexed: true, cascadeDelete: true }),
    ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Campaign'], {
      relationshipName: 'What',
      childRelationshipName: 'Tasks',
      indexed: true,
      cascadeDelete: true,
    }),
    subject,
    date('ActivityDate', 'Due Date Only'),
    picklist('Status', 'Status', TASK_STATUSES, { required: true, default: 'Not Started' }),
    picklist('Priority', 'Priority', TASK_PRIORITIES, { required: true, default: 'Normal' }),
    bool('IsHighPriority', 'High Priority', readOnly),
    textarea('Description', 'Description', 32000),
    picklist('Type', 'Type', TASK_TYPES),
    picklist('TaskSubtype', 'Task Subtype', TASK_SUBTYPES, { updateable: false, default: 'Task' }),
    bool('IsClosed', 'Closed', readOnly),
    ref('AccountId', 'Account ID', ['Account'], { ...readOnly }),
    datetime('ReminderDateTime', 'Reminder Date/Time'),
    bool('IsReminderSet', 'Reminder Set'),
    datetime('CompletedDateTime', 'Completed Date/Time', readOnly),
  ];
  return objectDef('Task', 'Task', 'Tasks', '00T', fields);
}
