/**
 * Cross-file and semantic checks of the mapping files, one mistake at a time on the shipped set.
 * Each case edits the shipped texts and expects one problem at the named file, key and message.
 */
import { describe, expect, it } from 'vitest';
import { checkMappingTexts } from '../../../src/config/mapping/load.js';
import type { MappingFileKey } from '../../../src/config/mapping/mapping-set.js';
import { editedTexts } from '../../helpers/mappings.js';

type Edits = Partial<Record<MappingFileKey, Array<[string, string]>>>;

function problemsFor(edits: Edits) {
  return checkMappingTexts(editedTexts(edits)).problems;
}

describe('the shipped mappings', () => {
  it('are valid with no warnings', () => {
    const result = checkMappingTexts(editedTexts());
    expect(result.problems).toEqual([]);
    expect(result.set?.lifecycle.stages.map((s) => s.id)).toEqual(['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer']);
    expect(result.set?.contacts.fields.length).toBeGreaterThanOrEqual(20);
  });
});

const cases: Array<[string, Edits, 'error' | 'warning', string, string, string]> = [
  // lifecycle
  ['custom HubSpot lifecycle stage', { lifecycle: [['lifecyclestage: subscriber', 'lifecyclestage: subscribr']] }, 'warning', 'lifecycle.yaml', 'stages[0].hubspot.lifecyclestage', 'is not one of HubSpot\'s default lifecycle stages'],
  ['duplicate order', { lifecycle: [['order: 20', 'order: 10']] }, 'error', 'lifecycle.yaml', 'stages[1].order', 'order 10 is used twice'],
  ['duplicate reason', { lifecycle: [['        - Bad timing\n', '        - Bad timing\n        - Bad timing\n']] }, 'error', 'lifecycle.yaml', 'detours[0].reason.values[2]', 'reason "Bad timing" is listed twice'],
  ['unknown from stage', { lifecycle: [['- { from: lead, to', '- { from: leed, to']] }, 'error', 'lifecycle.yaml', 'transitions[1].from', 'did you mean'],
  ['from listed twice', { lifecycle: [['  - { from: recycled, to: [mql, disqualified] }', '  - { from: recycled, to: [mql, disqualified] }\n  - { from: lead, to: [sal] }']] }, 'error', 'lifecycle.yaml', 'transitions[7].from', 'transitions from "lead" are listed twice'],
  ['self transition', { lifecycle: [['- { from: lead, to: [mql, disqualified] }', '- { from: lead, to: [lead, mql, disqualified] }']] }, 'error', 'lifecycle.yaml', 'transitions[1].to[0]', 'cannot transition to itself'],
  ['target listed twice', { lifecycle: [['- { from: lead, to: [mql, disqualified] }', '- { from: lead, to: [mql, mql, disqualified] }']] }, 'error', 'lifecycle.yaml', 'transitions[1].to[1]', '"lead → mql" is listed twice'],
  ['recycle with no way out', { lifecycle: [['  - { from: recycled, to: [mql, disqualified] }\n', ''], ['    returns_to: mql\n', '']] }, 'error', 'lifecycle.yaml', 'detours[0].id', 'has no way out'],
  ['returns to a detour', { lifecycle: [['    returns_to: mql', '    returns_to: disqualified']] }, 'error', 'lifecycle.yaml', 'detours[0].returns_to', 'which is a detour'],
  ['sla starts at a detour', { lifecycle: [['  starts_at: mql', '  starts_at: recycled']] }, 'error', 'lifecycle.yaml', 'sla.starts_at', 'must start at a stage'],
  ['sla accepted at a detour', { lifecycle: [['  accepted_at: sal', '  accepted_at: disqualified']] }, 'error', 'lifecycle.yaml', 'sla.accepted_at', 'acceptance must be a stage'],
  ['sla accepted before start', { lifecycle: [['  accepted_at: sal', '  accepted_at: lead']] }, 'error', 'lifecycle.yaml', 'sla.accepted_at', 'must come after "mql"'],
  ['segment id twice', { lifecycle: [['    - id: standard', '    - id: demo_request']] }, 'error', 'lifecycle.yaml', 'sla.segments[1].id', 'segment id "demo_request" is used twice'],
  ['catch-all not last', { lifecycle: [['      when:\n        field: hubspot.recent_conversion_event_name\n        contains: Demo\n', '']] }, 'error', 'lifecycle.yaml', 'sla.segments[0]', 'has no `when` but is not the last'],
  ['last segment with when', { lifecycle: [['      label: Everyone else\n', '      label: Everyone else\n      when: { field: hubspot.email, exists: true }\n']] }, 'warning', 'lifecycle.yaml', 'sla.segments[1]', 'people outside every segment get no SLA'],
  ['auto-recycle before escalation', { lifecycle: [['      auto_recycle_after_hours: 72', '      auto_recycle_after_hours: 6']] }, 'error', 'lifecycle.yaml', 'sla.segments[0].auto_recycle_after_hours', 'auto-recycle (6 h) must come after escalation (8 h)'],
  ['auto-recycle without reason', { lifecycle: [['  auto_recycle_reason: No response from sales\n', '']] }, 'error', 'lifecycle.yaml', 'sla', 'auto-recycle needs `auto_recycle_reason`'],
  ['auto-recycle without a recycle detour', { lifecycle: [['    kind: recycle', '    kind: disqualify']] }, 'error', 'lifecycle.yaml', 'sla.segments', 'auto-recycle needs a detour of kind "recycle"'],
  ['lead status on a Contact stage', { lifecycle: [['      object: Contact\n    entry:\n      some: opportunities\n      where: { field: opportunity.IsClosed', '      object: Contact\n      lead_status: Qualified\n    entry:\n      some: opportunities\n      where: { field: opportunity.IsClosed']] }, 'error', 'lifecycle.yaml', 'stages[5].salesforce.lead_status', 'which have no Lead Status'],
  ['relation field outside its relation', { lifecycle: [['      field: lead.Status\n      eq: Working - Contacted', '      field: opportunity.StageName\n      eq: Working - Contacted']] }, 'error', 'lifecycle.yaml', 'stages[3].entry.field', '"opportunity.StageName" cannot be read here'],
  ['wrong field inside a relation', { lifecycle: [['where: { field: opportunity.IsWon, eq: true }', 'where: { field: lead.IsWon, eq: true }']] }, 'error', 'lifecycle.yaml', 'stages[6].entry.where.field', 'inside "opportunities" conditions name the opportunity\'s fields'],
  ['two stages write one date field', { lifecycle: [['date_field: Revloop_SAL_Date__c', 'date_field: Revloop_MQL_Date__c']] }, 'error', 'lifecycle.yaml', 'stages[3].salesforce.date_field', 'Salesforce Lead field "Revloop_MQL_Date__c" is written by the lifecycle (entry date of "sal")'],
  // contacts / companies
  ['relationship with a writing rule is fine but always-hubspot is not', { contacts: [['    salesforce: { Lead: Industry, Contact: Account.Industry }\n    rule: prefer-salesforce-unless-blank', '    salesforce: { Lead: Industry, Contact: Account.Industry }\n    rule: always-hubspot']] }, 'error', 'contacts.yaml', 'fields[13].rule', 'is read through a relationship'],
  ['per-object field on an object outside the pair', { contacts: [['salesforce: { Lead: Rating }', 'salesforce: { Lead: Rating, Account: Rating }']] }, 'error', 'contacts.yaml', 'fields[19].salesforce.Account', '"Account" is not one of this file\'s Salesforce objects'],
  ['per-object field naming no object of the pair', { companies: [['    salesforce: Description', '    salesforce: { Lead: Description }']] }, 'error', 'companies.yaml', 'fields[11].salesforce.Lead', 'is not one of this file\'s Salesforce objects'],
  ['lossy type pair', { contacts: [['    rule: two-way\n    hubspot_type: string\n    salesforce_type: picklist', '    rule: two-way\n    hubspot_type: number\n    salesforce_type: string']] }, 'warning', 'contacts.yaml', 'fields[3].salesforce_type', 'can lose information'],
  ['concat against its rule', { contacts: [['    salesforce_type: email\n    transform: [trim]', '    salesforce_type: email\n    transform:\n      - concat: { hubspot: [firstname, lastname] }']] }, 'error', 'contacts.yaml', 'fields[0].transform[0]', 'only works one way'],
  ['picklist default missing', { companies: [['          unmapped: drop', '          unmapped: default']] }, 'error', 'companies.yaml', 'fields[8].transform[0]', 'needs a `default` value'],
  ['number transform on text', { contacts: [['    salesforce_type: email\n    transform: [trim]', '    salesforce_type: email\n    transform:\n      - number: { decimals: 1 }']] }, 'error', 'contacts.yaml', 'fields[0].transform[0]', 'numeric on neither side'],
  ['date transform on dates', { opportunities: [['{ salesforce: CloseDate, hubspot: closedate, hubspot_type: datetime, salesforce_type: date }', '{ salesforce: CloseDate, hubspot: closedate, hubspot_type: datetime, salesforce_type: date, transform: [{ date: { format: iso_date } }] }']] }, 'warning', 'opportunities.yaml', 'deals.fields[2].transform[0]', 'revloop converts dates'],
  ['identity property missing', { contacts: [['    Contact: revloop_salesforce_contact_id\n', '']] }, 'error', 'contacts.yaml', 'identity.hubspot_properties', 'no HubSpot property holds the Contact id'],
  ['identity for an object outside the pair', { companies: [['    Account: revloop_salesforce_account_id', '    Account: revloop_salesforce_account_id\n    Lead: revloop_x']] }, 'error', 'companies.yaml', 'identity.hubspot_properties.Lead', '"Lead" is not one of this file\'s Salesforce objects'],
  ['match key that does not fit', { companies: [['match: [external_id, domain, name]', 'match: [external_id, domain, email]']] }, 'error', 'companies.yaml', 'match[2]', '"email" cannot match companies'],
  ['match key twice', { contacts: [['match: [email, external_id]', 'match: [email, email]']] }, 'error', 'contacts.yaml', 'match[1]', 'listed twice'],
  ['routing to Contact without Contact', { contacts: [['  salesforce: [Lead, Contact]', '  salesforce: [Lead]'], ['    Contact: revloop_salesforce_contact_id\n', '']] }, 'error', 'contacts.yaml', 'routing.contact_when_account_matches', 'needs Contact in pair.salesforce'],
  ['no LastName writer', { contacts: [['  - hubspot: lastname\n    salesforce: LastName\n    rule: two-way', '  - hubspot: lastname\n    salesforce: LastName\n    rule: always-salesforce']] }, 'warning', 'contacts.yaml', 'fields', 'no field writes Lead.LastName'],
  ['scope of companies with a person field', { companies: [['match: [external_id, domain, name]\n', 'match: [external_id, domain, name]\nscope:\n  salesforce: { field: lead.Status, exists: true }\n']] }, 'error', 'companies.yaml', 'scope.salesforce.field', '"lead.Status" cannot be read here'],
  // opportunities
  ['metric twice', { opportunities: [['  - { metric: won_revenue, hubspot: revloop_won_revenue, label: Won revenue }', '  - { metric: won_revenue, hubspot: revloop_won_revenue, label: Won revenue }\n  - { metric: won_revenue, hubspot: revloop_won_revenue_2 }']] }, 'warning', 'opportunities.yaml', 'rollups[4].metric', 'rolled up twice'],
  ['roll-up written by a field too', { opportunities: [['hubspot: revloop_won_revenue,', 'hubspot: jobtitle,']] }, 'error', 'contacts.yaml', 'fields[5].hubspot', 'is written by contacts.yaml fields[5] and by the "won_revenue" roll-up'],
  ['days_to_won from an unknown stage', { opportunities: [['days_to_won_from: mql', 'days_to_won_from: mqll']] }, 'error', 'opportunities.yaml', 'days_to_won_from', 'did you mean "mql"?'],
  ['deal mirror without stages', { opportunities: [['  stages:\n    Prospecting: appointmentscheduled\n    Qualification: qualifiedtobuy\n    Needs Analysis: qualifiedtobuy\n    Value Proposition: presentationscheduled\n    Id. Decision Makers: decisionmakerboughtin\n    Perception Analysis: decisionmakerboughtin\n    Proposal/Price Quote: contractsent\n    Negotiation/Review: contractsent\n    Closed Won: closedwon\n    Closed Lost: closedlost\n', '']] }, 'error', 'opportunities.yaml', 'deals.stages', 'needs a stage map'],
  ['attribution with no target', { opportunities: [['      salesforce: { Opportunity: Revloop_Last_Campaign__c }', '      salesforce: {}']] }, 'error', 'opportunities.yaml', 'attribution.fields[3].salesforce', 'names no Salesforce field'],
  ['attribution target written twice', { opportunities: [['      salesforce: { Opportunity: Revloop_Last_Campaign__c }', '      salesforce: { Opportunity: Revloop_First_Campaign__c }']] }, 'error', 'opportunities.yaml', 'attribution.fields[3].salesforce.Opportunity', 'is written by attribution of "hs_analytics_last_touch_converting_campaign" and by attribution of'],
  ['attribution type mismatch', { opportunities: [['hubspot: hs_analytics_last_touch_converting_campaign\n      hubspot_type: string\n      salesforce_type: string', 'hubspot: hs_analytics_last_touch_converting_campaign\n      hubspot_type: bool\n      salesforce_type: date']] }, 'error', 'opportunities.yaml', 'attribution.fields[3].salesforce_type', 'cannot be synced'],
  ['ROI from config without costs', { opportunities: [['  cost_source: salesforce', '  cost_source: config']] }, 'warning', 'opportunities.yaml', 'roi.costs', 'no campaign costs are listed'],
];

describe('mapping checks', () => {
  it.each(cases)('%s', (_name, edits, severity, file, path, message) => {
    const problems = problemsFor(edits);
    const found = problems.find((p) => p.severity === severity && p.file === file && p.path === path && `${p.message} ${p.hint ?? ''}`.includes(message));
    expect(found, JSON.stringify(problems, null, 1)).toBeDefined();
    for (const p of problems) expect(p.line).toBeGreaterThan(0);
  });

  it('skips checks across files while one file fails its schema, but still checks the others', () => {
    const problems = problemsFor({ contacts: [['rule: two-way', 'rule: twoway']], lifecycle: [['- { from: lead, to: [mql, disqualified] }', '- { from: lead, to: [mqll, disqualified] }']] });
    expect(problems.map((p) => `${p.file} ${p.path}`)).toEqual(['contacts.yaml fields[0].rule', 'lifecycle.yaml transitions[1].to[0]']);
  });
});
