/** AEs moving deals: an open opportunity to its next stage, or closed won or lost (with a loss reason). */
import { isoDate } from '../generator/campaigns.js';
import { CLOSED_LOST, CLOSED_WON, LOSS_REASONS, OPEN_STAGES } from '../generator/vocabulary.js';
import { repFor, type ActionContext } from './action-context.js';
import type { ActionResult } from './activity-kinds.js';

const WIN_RATE = 0.35;

function pickOpen(ctx: ActionContext): (Record<string, unknown> & { Id: string }) | undefined {
  for (let attempt = 0; attempt < 10 && ctx.world.openOpportunities.size > 0; attempt++) {
    const id = ctx.world.openOpportunities.pick(ctx.rng);
    const record = id === undefined ? undefined : ctx.salesforce.get('Opportunity', id, ['StageName', 'OwnerId', 'Amount', 'Name', 'IsClosed']);
    if (id !== undefined && record !== undefined && record.IsClosed !== true) return { ...record, Id: id };
  }
  return undefined;
}

export function advanceOpportunity(ctx: ActionContext): ActionResult | null {
  const opportunity = pickOpen(ctx);
  if (opportunity === undefined) return null;
  const index = OPEN_STAGES.indexOf(String(opportunity.StageName) as (typeof OPEN_STAGES)[number]);
  const next = OPEN_STAGES[Math.min(OPEN_STAGES.length - 1, index + 1)] ?? 'Qualification';
  if (next === opportunity.StageName) return null;
  const ae = repFor(ctx, opportunity.OwnerId, ctx.world.reps.aes);
  const amount = typeof opportunity.Amount === 'number' && ctx.rng.chance(0.3) ? Math.round((opportunity.Amount * ctx.rng.between(0.85, 1.2)) / 100) * 100 : undefined;
  ctx.salesforce.update('Opportunity', opportunity.Id, { StageName: next, ...(amount === undefined ? {} : { Amount: amount }) }, { userId: ae.salesforceUserId, origin: 'ui' });
  return { system: 'salesforce', object: 'Opportunity', recordId: opportunity.Id, by: ae.salesforceUserId, summary: `${String(opportunity.Name)}: ${String(opportunity.StageName)} → ${next}` };
}

export function closeOpportunity(ctx: ActionContext): ActionResult | null {
  const opportunity = pickOpen(ctx);
  if (opportunity === undefined) return null;
  const ae = repFor(ctx, opportunity.OwnerId, ctx.world.reps.aes);
  const won = ctx.rng.chance(WIN_RATE);
  const reason = won ? null : ctx.rng.pick(LOSS_REASONS);
  ctx.salesforce.update(
    'Opportunity',
    opportunity.Id,
    { StageName: won ? CLOSED_WON : CLOSED_LOST, CloseDate: isoDate(ctx.salesforce.now()), Loss_Reason__c: reason },
    { userId: ae.salesforceUserId, origin: 'ui' },
  );
  return { system: 'salesforce', object: 'Opportunity', recordId: opportunity.Id, by: ae.salesforceUserId, summary: `${String(opportunity.Name)}: ${won ? CLOSED_WON : `${CLOSED_LOST} (${reason ?? ''})`}` };
}
