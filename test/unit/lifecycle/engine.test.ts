/**
 * The lifecycle engine on the shipped definition: every ordered pair of stages (allowed and refused),
 * initial classification, recycling and re-entry, manual moves corrected or reported, and custom
 * definitions with extra stages and other criteria.
 */
import { describe, expect, it } from 'vitest';
import { checkMappingTexts } from '../../../src/config/mapping/load.js';
import type { LifecycleFile } from '../../../src/config/mapping/schema/lifecycle.js';
import type { ConditionView } from '../../../src/core/conditions.js';
import { Lifecycle } from '../../../src/core/lifecycle/definition.js';
import { evaluateLifecycle, type LifecycleInput } from '../../../src/core/lifecycle/evaluate.js';
import { editedTexts } from '../../helpers/mappings.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const shipped = checkMappingTexts(editedTexts()).set!.lifecycle;
const lifecycle = new Lifecycle(shipped);

const open = { IsClosed: false, IsWon: false, StageName: 'Prospecting' };
const won = { IsClosed: true, IsWon: true, StageName: 'Closed Won' };

/** A person whose data meets exactly the given stage's criteria (and those before it, as people accumulate). */
function viewFor(stage: string): ConditionView {
  const hubspot: Record<string, string> = { email: 'p@example.com' };
  const lead: Record<string, unknown> = { Status: 'Open - Not Contacted', IsConverted: false };
  const order = ['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'];
  const at = order.indexOf(stage);
  if (at >= 1 || stage === 'recycled' || stage === 'disqualified') hubspot.lastname = 'Person';
  if (at >= 2) Object.assign(hubspot, { hubspotscore: '60', jobtitle: 'CTO' });
  if (at === 3) lead.Status = 'Working - Contacted';
  if (at >= 4) lead.Status = 'Qualified';
  if (stage === 'recycled') lead.Status = 'Recycled';
  if (stage === 'disqualified') lead.Status = 'Closed - Not Converted';
  const opportunities = at === 5 ? [open] : at === 6 ? [won] : [];
  return { hubspot, lead, salesforce: lead, opportunities };
}

function run(from: string | undefined, view: ConditionView, extra: Partial<LifecycleInput> = {}, definition = lifecycle) {
  return evaluateLifecycle(definition, {
    view,
    state: { stage: from, enteredAt: from ? { [from]: NOW - 86_400_000 } : {}, ...(definition.get(from)?.detour ? { armed: true } : {}) },
    observed: { salesforceObject: 'Lead', salesforceLeadStatus: (view.lead?.Status as string) ?? null, hubspotLifecycleStage: definition.get(from)?.hubspotStage ?? null, hubspotStage: from ?? null },
    now: NOW,
    ...extra,
  });
}

const ALL = [...lifecycle.ordered.map((s) => s.id), ...lifecycle.detours.map((s) => s.id)];

describe('every ordered pair of stages of the shipped lifecycle', () => {
  const pairs = ALL.flatMap((from) => ALL.filter((to) => to !== from).map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const result = run(from, viewFor(to));
    const fromStage = lifecycle.get(from)!;
    const toStage = lifecycle.get(to)!;
    // Whatever happens, every move taken is an allowed one.
    let at = from;
    for (const t of result.transitions) {
      expect(lifecycle.isAllowed(at, t.to), `${at} → ${t.to}`).toBe(true);
      at = t.to;
    }
    if (lifecycle.isAllowed(from, to)) {
      expect(result.transitions[0]).toMatchObject({ from, to });
      expect(result.violations).toEqual([]);
      return;
    }
    if (toStage.detour && !fromStage.detour) {
      // A detour that is not allowed from here is refused (the person may still move forward).
      expect(result.state.stage).not.toBe(to);
      expect(result.violations.map((v) => v.kind)).toContain('detour-not-allowed');
      return;
    }
    if (!toStage.detour && !fromStage.detour && lifecycle.after(toStage, fromStage)) {
      // Forward without a direct transition: reached through allowed stages, or reported as a skip.
      const reached = result.state.stage === to;
      expect(reached || result.violations.some((v) => v.kind === 'skipped-stage'), JSON.stringify(result)).toBe(true);
      return;
    }
    if (!toStage.detour && !fromStage.detour) {
      // Backward: the lifecycle never moves back without a detour.
      expect(result.state.stage).toBe(from);
      expect(result.transitions).toEqual([]);
      return;
    }
    // From a detour: out only by an allowed way (checked above), here armed, so the criteria decide.
    expect(result.violations.every((v) => v.kind !== 'detour-not-allowed' || fromStage.detour)).toBe(true);
  });
});

describe('named transitions', () => {
  it.each([
    ['score crosses the threshold', 'lead', 'mql', 'criteria'],
    ['the rep starts working the lead', 'mql', 'sal', 'criteria'],
    ['the rep qualifies', 'sal', 'sql', 'criteria'],
    ['an open opportunity', 'sql', 'opportunity', 'criteria'],
    ['won', 'opportunity', 'customer', 'criteria'],
    ['won straight from SQL', 'sql', 'customer', 'criteria'],
    ['recycled by the rep', 'sal', 'recycled', 'detour'],
    ['disqualified by the rep', 'mql', 'disqualified', 'detour'],
  ])('%s: %s → %s', (_name, from, to, cause) => {
    const result = run(from, viewFor(to));
    expect(result.transitions).toEqual([expect.objectContaining({ from, to, cause, criterion: to, at: NOW })]);
    expect(result.state.enteredAt[to]).toBe(NOW);
  });

  it('refuses Qualified without acceptance (mql → sql) and corrects the Lead Status', () => {
    const result = run('mql', viewFor('sql'));
    expect(result.state.stage).toBe('mql');
    expect(result.violations).toEqual([expect.objectContaining({ kind: 'skipped-stage', observed: 'sql', expected: 'mql', action: 'corrected' })]);
    expect(result.salesforce.Status).toBe('Open - Not Contacted');
  });

  it('reports instead of correcting under the report policy', () => {
    const reporting = new Lifecycle({ ...shipped, policy: { invalid_manual_moves: 'report' } });
    const result = run('mql', viewFor('sql'), {}, reporting);
    expect(result.violations[0]?.action).toBe('reported');
    expect(result.salesforce.Status).toBeUndefined();
  });

  it('flags HubSpot moved back to lead without a recycle, and puts it back', () => {
    const result = run('sal', viewFor('sal'), { observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Working - Contacted', hubspotLifecycleStage: 'lead', hubspotStage: 'sal' } });
    expect(result.violations).toEqual([expect.objectContaining({ kind: 'backward-without-detour', system: 'hubspot', observed: 'lead', expected: 'sal' })]);
    expect(result.hubspot.lifecyclestage).toBe('salesqualifiedlead');
    expect(result.hubspotClearFirst).toBe(false);
  });
});

describe('initial classification', () => {
  it.each(ALL)('a new person meeting %s', (stage) => {
    const result = run(undefined, viewFor(stage));
    expect(result.state.stage).toBe(stage);
    expect(result.transitions).toEqual([expect.objectContaining({ from: undefined, to: stage, cause: 'initial' })]);
  });

  it('leaves a person who meets no criteria without a stage', () => {
    const result = run(undefined, { hubspot: {} });
    expect(result.state.stage).toBeUndefined();
    expect(result.hubspot).toEqual({});
  });
});

describe('recycling', () => {
  it('sends HubSpot back to lead (cleared, then set) with the reason on the contact', () => {
    const result = run('sal', viewFor('recycled'), { observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Recycled', hubspotLifecycleStage: 'salesqualifiedlead', hubspotStage: 'sal', reasons: { recycled: 'Bad timing' } } });
    expect(result.state.stage).toBe('recycled');
    expect(result.transitions[0]).toMatchObject({ from: 'sal', to: 'recycled', reason: 'Bad timing' });
    expect(result.hubspot).toMatchObject({ lifecyclestage: 'lead', revloop_stage: 'recycled', revloop_recycle_reason: 'Bad timing', hs_lead_status: 'BAD_TIMING' });
    expect(result.hubspotClearFirst).toBe(true);
  });

  it('returns to MQL only by meeting the criteria again', () => {
    // Recycled while the score was still high: not armed, the person stays recycled.
    const recycledView = { ...viewFor('mql'), lead: { Status: 'Recycled' }, salesforce: { Status: 'Recycled' } };
    const entered = run('sal', recycledView);
    expect(entered.state).toMatchObject({ stage: 'recycled', armed: false });
    const still = evaluateLifecycle(lifecycle, { view: recycledView, state: entered.state, observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Recycled' }, now: NOW + 1000 });
    expect(still.state.stage).toBe('recycled');
    // The score drops below the threshold: armed.
    const cooled = { ...recycledView, hubspot: { ...recycledView.hubspot, hubspotscore: '20' } };
    const armed = evaluateLifecycle(lifecycle, { view: cooled, state: still.state, observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Recycled' }, now: NOW + 2000 });
    expect(armed.state).toMatchObject({ stage: 'recycled', armed: true });
    // It rises again: back to MQL, and Salesforce's Lead Status is set for MQLs.
    const back = evaluateLifecycle(lifecycle, { view: recycledView, state: armed.state, observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Recycled' }, now: NOW + 3000 });
    expect(back.transitions).toEqual([expect.objectContaining({ from: 'recycled', to: 'mql', cause: 'reentry' })]);
    expect(back.salesforce.Status).toBe('Open - Not Contacted');
    // Until that write lands, the Lead Status still says Recycled: no ping-pong back into the detour.
    const again = evaluateLifecycle(lifecycle, { view: recycledView, state: back.state, observed: { salesforceObject: 'Lead', salesforceLeadStatus: 'Recycled' }, now: NOW + 4000 });
    expect(again.state.stage).toBe('mql');
    expect(again.transitions).toEqual([]);
  });
});

describe('custom definitions', () => {
  const custom: LifecycleFile = {
    ...shipped,
    stages: [
      ...shipped.stages.filter((s) => s.id !== 'mql'),
      { id: 'pql', label: 'Product qualified', owner: 'marketing', order: 25, hubspot: { lifecyclestage: 'lead' }, entry: { kind: 'compare', field: { scope: 'hubspot', name: 'product_signups', text: 'hubspot.product_signups' }, op: 'gte', value: 1, at: [] } },
      { id: 'mql', label: 'MQL', owner: 'marketing', order: 30, hubspot: { lifecyclestage: 'marketingqualifiedlead' }, entry: { kind: 'compare', field: { scope: 'hubspot', name: 'hubspotscore', text: 'hubspot.hubspotscore' }, op: 'gte', value: 80, at: [] } },
    ],
    transitions: [...shipped.transitions.filter((t) => t.from !== 'lead'), { from: 'lead', to: ['pql', 'disqualified'] }, { from: 'pql', to: ['mql', 'disqualified'] }],
  };
  const definition = new Lifecycle(custom);

  it('passes through an extra stage in order', () => {
    const view = { hubspot: { email: 'x@y.com', lastname: 'X', product_signups: '2', hubspotscore: '90' } };
    const result = run('lead', view, {}, definition);
    expect(result.transitions.map((t) => t.to)).toEqual(['pql', 'mql']);
  });

  it('uses its own criteria (a score of 60 is no longer an MQL)', () => {
    const result = run('pql', { hubspot: { email: 'x@y.com', lastname: 'X', product_signups: '1', hubspotscore: '60' } }, {}, definition);
    expect(result.state.stage).toBe('pql');
    expect(result.transitions).toEqual([]);
  });

  it('reports the skip of the extra stage', () => {
    const result = run('lead', { hubspot: { email: 'x@y.com', lastname: 'X', hubspotscore: '95' } }, {}, definition);
    expect(result.state.stage).toBe('lead');
    expect(result.violations[0]).toMatchObject({ kind: 'skipped-stage', observed: 'mql' });
  });
});
