/**
 * The generator's values come from the shipped mappings and the sandbox org: if RevOps changes a mapping the
 * generated data must follow, and this test says so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../../../src/config/mapping/load.js';
import { REVLOOP_CUSTOM_FIELDS } from '../../../src/sandbox/salesforce/default-org.js';
import { STANDARD_STAGES } from '../../../src/sandbox/salesforce/schema/picklists.js';
import { INDUSTRY_VALUES } from '../../../src/sandbox/hubspot/store/industries.js';
import {
  DISQUALIFY_REASONS,
  INDUSTRY_MAP,
  LOSS_REASONS,
  MQL_SCORE,
  OPEN_STAGES,
  RECYCLE_REASONS,
  SLA_HOURS,
  STAGES,
} from '../../../src/sandbox/generator/vocabulary.js';

const shipped = await loadMappings(join(import.meta.dirname, '..', '..', '..', 'mappings'));

describe('generator vocabulary', () => {
  it('uses exactly the industries companies.yaml maps, onto the labels it maps them to', () => {
    const field = shipped.set?.companies.fields.find((f) => f.hubspot === 'industry');
    const transform = field?.transform[0];
    expect(transform?.kind).toBe('picklist');
    const map = transform?.kind === 'picklist' ? transform.picklist.map : {};
    expect(INDUSTRY_MAP).toEqual(map);
    for (const value of Object.keys(INDUSTRY_MAP)) expect(INDUSTRY_VALUES).toContain(value);
  });

  it("uses lifecycle.yaml's stages, detour reasons, SLA hours and MQL threshold", () => {
    const lifecycle = shipped.set?.lifecycle;
    expect([...(lifecycle?.stages.map((s) => s.id) ?? []), ...(lifecycle?.detours.map((d) => d.id) ?? [])]).toEqual([...STAGES]);
    expect(lifecycle?.detours.find((d) => d.kind === 'recycle')?.reason?.values).toEqual([...RECYCLE_REASONS]);
    expect(lifecycle?.detours.find((d) => d.kind === 'disqualify')?.reason?.values).toEqual([...DISQUALIFY_REASONS]);
    const segments = Object.fromEntries((lifecycle?.sla?.segments ?? []).map((s) => [s.id, { acceptWithinHours: s.accept_within_hours, autoRecycleAfterHours: s.auto_recycle_after_hours }]));
    expect(segments).toEqual(SLA_HOURS);
    const mql = lifecycle?.stages.find((s) => s.id === 'mql')?.entry;
    expect(JSON.stringify(mql)).toContain(`"name":"hubspotscore","text":"hubspot.hubspotscore"},"op":"gte","value":${MQL_SCORE}`);
  });

  it("uses the sandbox org's opportunity stages and Loss_Reason__c values", () => {
    expect(STANDARD_STAGES.filter((s) => !s.isClosed).map((s) => s.apiName)).toEqual([...OPEN_STAGES]);
    const loss = REVLOOP_CUSTOM_FIELDS.Opportunity?.find((f) => f.name === 'Loss_Reason__c');
    expect(loss?.picklistValues).toEqual([...LOSS_REASONS]);
  });
});
