/** Parked errors explained: each vendor error gets its category and a fix that names the value and field. */
import { describe, expect, it } from 'vitest';
import { explain, groupErrors } from '../../../src/admin/dead-letters/explain.js';
import type { ParkedRecord } from '../../../src/state/dead-letters.js';

const base: ParkedRecord = { pair: 'contacts', side: 'salesforce', record: 'salesforce:Lead:00Q000000000001', code: 'X', message: '', fields: [], firstAt: 1, lastAt: 1, attempts: 1 };

describe('explain', () => {
  it.each([
    [{ code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Industry: bad value for restricted picklist field: Fintech', fields: ['Industry'] }, 'picklist', /add the picklist value "Fintech" to Lead\.Industry/],
    [{ code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]' }, 'required-field', /Lead\.Company/],
    [{ code: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'Unable to create/update fields: Rating', fields: ['Rating'] }, 'field-access', /grant field access to Lead\.Rating/],
    [{ code: 'STRING_TOO_LONG', message: 'Last Name: data value too large', fields: ['LastName'] }, 'invalid-value', /Lead\.LastName/],
    [{ code: 'DUPLICATES_DETECTED', message: 'Use one of these records?' }, 'duplicate', /merge the duplicates in Salesforce/],
    [{ code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Phone is required for partners' }, 'validation-rule', /validation rule on Lead/],
    [{ code: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' }, 'record-gone', /relinks/],
    [{ code: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights' }, 'permissions', /object permission/],
    [{ code: 'VALIDATION_ERROR', side: 'hubspot' as const, record: 'hubspot:contacts:12', message: 'industry: "Space" was not one of the allowed options', fields: ['industry'] }, 'picklist', /add the option "Space" to the HubSpot contacts property industry/],
    [{ code: 'SOMETHING_NEW', message: 'odd' }, 'other', /read the vendor message/],
  ])('%j is %s', (entry, category, fix) => {
    const e = explain({ ...base, ...entry });
    expect(e.category).toBe(category);
    expect(e.fix).toMatch(fix);
  });

  it('groups by category, the biggest first, newest entries first', () => {
    const groups = groupErrors([
      { ...base, id: 'a', code: 'STRING_TOO_LONG', lastAt: 1 },
      { ...base, id: 'b', code: 'STRING_TOO_LONG', lastAt: 5 },
      { ...base, id: 'c', code: 'REQUIRED_FIELD_MISSING', lastAt: 3 },
    ]);
    expect(groups.map((g) => [g.category, g.count])).toEqual([['invalid-value', 2], ['required-field', 1]]);
    expect(groups[0]?.entries.map((e) => e.id)).toEqual(['b', 'a']);
  });
});
