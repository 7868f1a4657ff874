/** Checks of opportunities.yaml against itself and the lifecycle. */
import { didYouMean } from '../did-you-mean.js';
import type { KeyPath } from '../problems.js';
import type { OpportunitiesFile } from '../schema/opportunities.js';
import type { CheckContext } from './context.js';
import { checkTransforms, checkTypes } from './object-checks.js';
import type { WriterRegistry } from './writers.js';

export function checkOpportunities(ctx: CheckContext, opps: OpportunitiesFile, writers: WriterRegistry): void {
  const metrics = new Set<string>();
  opps.rollups.forEach((r, i) => {
    const base: KeyPath = ['rollups', i];
    if (metrics.has(r.metric)) ctx.warn({ file: 'opportunities', path: [...base, 'metric'] }, `metric "${r.metric}" is rolled up twice`);
    metrics.add(r.metric);
    writers.claim(`hubspot:contacts:${r.hubspot}`, { file: 'opportunities', path: [...base, 'hubspot'], what: `the "${r.metric}" roll-up` });
  });
  if (metrics.has('days_to_won') && ctx.set.lifecycle) {
    const ids = ctx.set.lifecycle.stages.map((s) => s.id);
    if (!ids.includes(opps.days_to_won_from)) {
      const hint = didYouMean(opps.days_to_won_from, ids);
      ctx.error({ file: 'opportunities', path: ['days_to_won_from'] }, `"${opps.days_to_won_from}" is not a stage of lifecycle.yaml`, hint ?? `stages: ${ids.join(', ')}`);
    }
  }
  if (opps.deals.mirror) {
    if (Object.keys(opps.deals.stages).length === 0) {
      ctx.error({ file: 'opportunities', path: ['deals', 'stages'] }, 'mirroring opportunities as deals needs a stage map (Salesforce StageName → HubSpot deal stage)', 'map at least "Closed Won" and "Closed Lost"');
    }
    opps.deals.fields.forEach((f, i) => {
      const base: KeyPath = ['deals', 'fields', i];
      writers.claim(`hubspot:deals:${f.hubspot}`, { file: 'opportunities', path: [...base, 'hubspot'], what: `deals.fields[${i}]` });
      const types = { hubspot: f.hubspot_type, salesforce: f.salesforce_type };
      const direction = { toHubSpot: true, toSalesforce: false };
      checkTypes(ctx, { file: 'opportunities', path: base }, types, `${f.salesforce} → ${f.hubspot}`, direction, f.transform);
      checkTransforms(ctx, { file: 'opportunities', path: base }, f.transform, types, direction);
    });
  }
  opps.attribution.fields.forEach((f, i) => {
    const base: KeyPath = ['attribution', 'fields', i];
    const targets = Object.entries(f.salesforce).filter((e): e is [string, string] => e[1] !== undefined);
    if (targets.length === 0) ctx.error({ file: 'opportunities', path: [...base, 'salesforce'] }, `attribution of "${f.hubspot}" names no Salesforce field`);
    for (const [object, field] of targets) {
      writers.claim(`salesforce:${object}:${field}`, { file: 'opportunities', path: [...base, 'salesforce', object], what: `attribution of "${f.hubspot}"` });
    }
    const types = { hubspot: f.hubspot_type, salesforce: f.salesforce_type };
    const direction = { toHubSpot: false, toSalesforce: true };
    checkTypes(ctx, { file: 'opportunities', path: base }, types, `attribution ${f.hubspot}`, direction, f.transform);
    checkTransforms(ctx, { file: 'opportunities', path: base }, f.transform, types, direction);
  });
  if (opps.roi.cost_source === 'config' && Object.keys(opps.roi.costs).length === 0) {
    ctx.warn({ file: 'opportunities', path: ['roi', 'costs'] }, 'cost_source is config but no campaign costs are listed; ROI cannot be computed');
  }
}
