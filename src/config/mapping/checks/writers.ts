/**
 * Every field revloop writes, and which part of the mappings writes it. Two writers of one field
 * would fight each other on every sync, so a second writer is an error that names the first.
 */
import { stageDateProperty, STAGE_PROPERTY } from '../mapping-set.js';
import type { LifecycleFile } from '../schema/lifecycle.js';
import type { FieldRule } from '../schema/object-mapping.js';
import type { KeyPath } from '../problems.js';
import type { CheckContext, Location } from './context.js';

export type WriteTarget = `hubspot:${'contacts' | 'companies' | 'deals'}:${string}` | `salesforce:${string}:${string}`;

interface Writer extends Location {
  what: string;
}

/** Which sides a rule writes to. prefer-X-unless-blank writes both (X's value, or the other's when X is blank). */
export function ruleWrites(rule: FieldRule): { hubspot: boolean; salesforce: boolean } {
  switch (rule) {
    case 'two-way':
    case 'prefer-hubspot-unless-blank':
    case 'prefer-salesforce-unless-blank':
      return { hubspot: true, salesforce: true };
    case 'always-salesforce':
      return { hubspot: true, salesforce: false };
    case 'always-hubspot':
      return { hubspot: false, salesforce: true };
    case 'dont-sync':
      return { hubspot: false, salesforce: false };
  }
}

export class WriterRegistry {
  private readonly writers = new Map<WriteTarget, Writer>();

  /** `enabled` is false when a file failed its schema: then no writer list is complete enough to judge. */
  constructor(
    private readonly ctx: CheckContext,
    private readonly enabled = true,
  ) {}

  claim(target: WriteTarget, writer: Writer): void {
    if (!this.enabled) return;
    const first = this.writers.get(target);
    if (!first) {
      this.writers.set(target, writer);
      return;
    }
    const [, object, field] = target.split(':') as [string, string, string];
    const side = target.startsWith('hubspot') ? `HubSpot ${object} property` : `Salesforce ${object} field`;
    this.ctx.error(
      writer,
      `${side} "${field}" is written by ${writer.what} and by ${first.what} (${this.ctx.where(first)}); the two would overwrite each other`,
      'map each field once; use dont-sync or a one-way rule for the other mapping',
    );
  }

  /** Registers what lifecycle.yaml writes: stage, stage dates, lifecycle stage, lead status, reasons. */
  claimLifecycle(lifecycle: LifecycleFile): void {
    const { stages, detours } = lifecycle;
    const at = (path: KeyPath): Location => ({ file: 'lifecycle', path });
    this.claim('hubspot:contacts:lifecyclestage', { ...at(['stages']), what: 'the lifecycle (stages[].hubspot.lifecyclestage)' });
    this.claim(`hubspot:contacts:${STAGE_PROPERTY}`, { ...at(['stages']), what: 'the lifecycle (canonical stage)' });
    const all = [...stages.map((s, i) => ({ s, path: ['stages', i] as KeyPath })), ...detours.map((s, i) => ({ s, path: ['detours', i] as KeyPath }))];
    let leadStatusClaimed = false;
    let hsLeadStatusClaimed = false;
    const seen = new Set<string>();
    for (const { s, path } of all) {
      // A duplicate stage id is reported by the lifecycle checks; claiming it again would only repeat that.
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      this.claim(`hubspot:contacts:${stageDateProperty(s.id)}`, { ...at([...path, 'id']), what: `the lifecycle (entry date of "${s.id}")` });
      if (s.hubspot.lead_status !== undefined && !hsLeadStatusClaimed) {
        hsLeadStatusClaimed = true;
        this.claim('hubspot:contacts:hs_lead_status', { ...at([...path, 'hubspot', 'lead_status']), what: 'the lifecycle (hubspot.lead_status)' });
      }
      if (s.salesforce?.lead_status !== undefined && !leadStatusClaimed) {
        leadStatusClaimed = true;
        this.claim('salesforce:Lead:Status', { ...at([...path, 'salesforce', 'lead_status']), what: 'the lifecycle (salesforce.lead_status)' });
      }
      const dateField = s.salesforce?.date_field;
      if (dateField !== undefined) {
        for (const object of ['Lead', 'Contact']) {
          this.claim(`salesforce:${object}:${dateField}`, { ...at([...path, 'salesforce', 'date_field']), what: `the lifecycle (entry date of "${s.id}")` });
        }
      }
    }
    detours.forEach((d, i) => {
      const path: KeyPath = ['detours', i, 'reason'];
      this.claim(`hubspot:contacts:${d.reason.hubspot_property}`, { ...at([...path, 'hubspot_property']), what: `the "${d.id}" reason` });
      for (const object of ['Lead', 'Contact']) {
        this.claim(`salesforce:${object}:${d.reason.salesforce_field}`, { ...at([...path, 'salesforce_field']), what: `the "${d.id}" reason` });
      }
    });
  }
}
