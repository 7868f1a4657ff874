/**
 * What an org does by itself when a record of a given type is saved: Opportunity stage → IsClosed/IsWon/Probability/
 * forecast category and fiscal period; Task closed/high-priority flags and its Account; CampaignMember response flags
 * and "already a member"; a converted Lead is read-only.
 */
import { dmlError } from '../errors.js';
import { startOfDay } from '../datetime.js';
import type { OrgSchema } from '../schema/org-schema.js';
import { ROW_LIVE, type ObjectTable, type RawValue } from '../storage/object-table.js';
import type { TableRegistry } from './table-registry.js';

export interface RuleContext {
  readonly mode: 'insert' | 'update';
  readonly table: ObjectTable;
  /** The existing row (update) or undefined (insert). */
  readonly row: number | undefined;
  readonly registry: TableRegistry;
  readonly schema: OrgSchema;
  readonly now: number;
  /** The value after this write: the pending assignment, else the stored value. */
  get(field: string): RawValue;
  /** Whether the write assigns the field (explicitly or through an earlier rule). */
  assigns(field: string): boolean;
  set(field: string, value: RawValue): void;
}

export type ObjectRule = (ctx: RuleContext) => void;

const opportunityRule: ObjectRule = (ctx) => {
  if (ctx.mode === 'insert' || ctx.assigns('StageName')) {
    const stageName = ctx.get('StageName');
    const stage = typeof stageName === 'string' ? ctx.schema.stage(stageName) : undefined;
    if (stage !== undefined) {
      ctx.set('IsClosed', stage.isClosed);
      ctx.set('IsWon', stage.isWon);
      if (!ctx.assigns('Probability')) ctx.set('Probability', stage.probability);
      if (stage.isClosed || !ctx.assigns('ForecastCategoryName')) {
        ctx.set('ForecastCategoryName', stage.forecastCategoryName);
      }
    }
  }
  if (ctx.assigns('ForecastCategoryName') || ctx.mode === 'insert') {
    const names = ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'];
    const categories = ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'];
    const name = ctx.get('ForecastCategoryName');
    const i = typeof name === 'string' ? names.indexOf(name) : -1;
    if (i >= 0) ctx.set('ForecastCategory', categories[i] ?? null);
  }
  if (ctx.mode === 'insert' || ctx.assigns('CloseDate')) {
    const close = ctx.get('CloseDate');
    if (typeof close === 'number') {
      const d = new Date(close);
      const quarter = Math.floor(d.getUTCMonth() / 3) + 1;
      ctx.set('FiscalYear', d.getUTCFullYear());
      ctx.set('FiscalQuarter', quarter);
      ctx.set('Fiscal', `${d.getUTCFullYear()} ${quarter}`);
    }
  }
};

function accountOf(registry: TableRegistry, ref: RawValue): RawValue {
  if (typeof ref !== 'number') return null;
  const { table, row } = registry.deref(ref);
  if (table.name === 'Account') return ref;
  if (table.name === 'Opportunity' || table.name === 'Contact') return table.getRaw(row, 'AccountId');
  return null;
}

const taskRule: ObjectRule = (ctx) => {
  if (ctx.mode === 'insert' || ctx.assigns('Status')) {
    const closed = ctx.get('Status') === 'Completed';
    const wasClosed = ctx.row !== undefined && ctx.table.getRaw(ctx.row, 'IsClosed') === true;
    ctx.set('IsClosed', closed);
    if (closed && !wasClosed) ctx.set('CompletedDateTime', ctx.now);
    if (!closed) ctx.set('CompletedDateTime', null);
  }
  if (ctx.mode === 'insert' || ctx.assigns('Priority')) ctx.set('IsHighPriority', ctx.get('Priority') === 'High');
  if (ctx.mode === 'insert' || ctx.assigns('WhatId') || ctx.assigns('WhoId')) {
    ctx.set('AccountId', accountOf(ctx.registry, ctx.get('WhatId')) ?? accountOf(ctx.registry, ctx.get('WhoId')));
  }
};

const campaignMemberRule: ObjectRule = (ctx) => {
  const lead = ctx.get('LeadId');
  const contact = ctx.get('ContactId');
  if (ctx.mode === 'insert') {
    if (lead === null && contact === null) {
      throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LeadId, ContactId]', ['LeadId', 'ContactId']);
    }
    const campaign = ctx.get('CampaignId');
    if (typeof campaign === 'number') {
      for (const row of ctx.table.findChildren('CampaignId', campaign)) {
        if (ctx.table.stateOf(row) !== ROW_LIVE) continue;
        const sameLead = lead !== null && ctx.table.getRaw(row, 'LeadId') === lead;
        const sameContact = contact !== null && ctx.table.getRaw(row, 'ContactId') === contact;
        if (sameLead || sameContact) throw dmlError('DUPLICATE_VALUE', 'Already a campaign member.', []);
      }
    }
  }
  if (ctx.mode === 'insert' || ctx.assigns('Status')) {
    const responded = ctx.get('Status') === 'Responded';
    ctx.set('HasResponded', responded);
    if (responded && ctx.get('FirstRespondedDate') === null) ctx.set('FirstRespondedDate', startOfDay(ctx.now));
  }
};

const RULES: Record<string, ObjectRule> = {
  opportunity: opportunityRule,
  task: taskRule,
  campaignmember: campaignMemberRule,
};

export function objectRule(objectName: string): ObjectRule | undefined {
  return RULES[objectName.toLowerCase()];
}
