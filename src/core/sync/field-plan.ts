/**
 * The decision for one mapped field of one record pair: which side's value wins under the field's
 * rule, and what to write. Pure: the caller supplies both sides' values, their change times and
 * the field ledger (fingerprints of both sides' values at the last sync decision).
 *
 * Change detection: with a ledger entry, a side "changed" when its value's fingerprint differs
 * from the one recorded. Without one (first sync), the more recently changed side wins two-way
 * fields, and a blank side is filled from the other.
 */
import type { HubSpotType, SalesforceType } from '../../config/mapping/schema/field-types.js';
import type { FieldRule } from '../../config/mapping/schema/object-mapping.js';
import { canonical, fingerprint, isBlank, toHubSpotValue, toSalesforceValue, valueKind, type Converted, type SalesforceValue, type ValueKind } from './values.js';
import type { TransformResult } from './transforms.js';

export type Side = 'hubspot' | 'salesforce';

/** What the ledger remembers of a field after a sync decision. */
export interface FieldLedgerEntry {
  /** Fingerprint of the HubSpot value (canonical form). */
  hubspot: string;
  /** Fingerprint of the Salesforce value (canonical form). */
  salesforce: string;
  /** When the decision was made (epoch ms). */
  at: number;
}

export interface FieldInput {
  rule: FieldRule;
  blank: 'clear' | 'keep';
  hubspotType: HubSpotType;
  salesforceType: SalesforceType;
  /** Whether revloop may write the Salesforce field (false for relationship paths such as Account.Name). */
  salesforceWritable: boolean;
  hubspot: { value: SalesforceValue; changedAt: number | undefined };
  salesforce: { value: SalesforceValue; changedAt: number | undefined };
  /** The HubSpot value converted for Salesforce, and the Salesforce value converted for HubSpot. */
  towardSalesforce: TransformResult;
  towardHubSpot: TransformResult;
  ledger: FieldLedgerEntry | undefined;
}

export type FieldDecision =
  | { action: 'none'; reason: NoneReason; ledger: FieldLedgerEntry | undefined }
  | { action: 'write'; target: Side; value: string | number | boolean | null; winner: Side; reason: WriteReason; ledger: FieldLedgerEntry }
  | { action: 'invalid'; side: Side; message: string };

export type NoneReason = 'equal' | 'dont-sync' | 'unchanged' | 'keep-blank' | 'skipped' | 'read-only' | 'no-value';
export type WriteReason = 'only-changed' | 'most-recent' | 'fill-blank' | 'preferred' | 'always';

/** A side's value with its canonical form and fingerprint, each worked out once and only when needed. */
class Valued {
  private canon: Converted<string> | undefined;
  private print: string | undefined;
  constructor(
    readonly value: SalesforceValue,
    private readonly kind: ValueKind,
  ) {}

  get canonical(): Converted<string> {
    return (this.canon ??= canonical(this.value, this.kind));
  }

  get fingerprint(): string {
    if (this.print === undefined) {
      const c = this.canonical;
      this.print = fingerprint(c.ok ? c.value : String(this.value));
    }
    return this.print;
  }
}

function ledgerOf(hubspot: Valued, salesforce: Valued, at: number): FieldLedgerEntry {
  return { hubspot: hubspot.fingerprint, salesforce: salesforce.fingerprint, at };
}

export function planField(input: FieldInput, now: number): FieldDecision {
  if (input.rule === 'dont-sync') return { action: 'none', reason: 'dont-sync', ledger: input.ledger };
  const kind = valueKind(input.hubspotType, input.salesforceType);
  const hs = new Valued(input.hubspot.value, kind);
  const sf = new Valued(input.salesforce.value, kind);
  const hsBlank = isBlank(hs.value);
  const sfBlank = isBlank(sf.value);

  // Equal in Salesforce's terms (after the transforms), or both blank: nothing to do.
  const toSf = input.towardSalesforce;
  if (toSf.kind === 'value') {
    const candidate = toSf.value === hs.value ? hs.canonical : canonical(toSf.value, kind);
    const sfCanon = sf.canonical;
    if (candidate.ok && sfCanon.ok && candidate.value === sfCanon.value) {
      return { action: 'none', reason: 'equal', ledger: ledgerOf(hs, sf, now) };
    }
  }
  if (hsBlank && sfBlank) return { action: 'none', reason: 'equal', ledger: ledgerOf(hs, sf, now) };

  const winner = chooseWinner(input, hs, sf, hsBlank, sfBlank);
  if (winner.side === undefined) return { action: 'none', reason: winner.reason, ledger: input.ledger };
  const target: Side = winner.side === 'hubspot' ? 'salesforce' : 'hubspot';
  const winnerBlank = winner.side === 'hubspot' ? hsBlank : sfBlank;
  if (winnerBlank && input.blank === 'keep') {
    return { action: 'none', reason: 'keep-blank', ledger: ledgerOf(hs, sf, now) };
  }
  if (target === 'salesforce' && !input.salesforceWritable) return { action: 'none', reason: 'read-only', ledger: input.ledger };

  const converted = target === 'salesforce' ? input.towardSalesforce : input.towardHubSpot;
  if (converted.kind === 'skip') return { action: 'none', reason: 'skipped', ledger: input.ledger };
  if (converted.kind === 'invalid') return { action: 'invalid', side: target, message: converted.message };
  const typed = target === 'salesforce' ? toSalesforceValue(converted.value, input.salesforceType) : toHubSpotValue(converted.value, input.hubspotType);
  if (!typed.ok) return { action: 'invalid', side: target, message: typed.message };
  const written = new Valued(typed.value, kind);
  const after = target === 'salesforce' ? ledgerOf(hs, written, now) : ledgerOf(written, sf, now);
  return { action: 'write', target, value: typed.value, winner: winner.side, reason: winner.reason, ledger: after };
}

function chooseWinner(
  input: FieldInput,
  hs: Valued,
  sf: Valued,
  hsBlank: boolean,
  sfBlank: boolean,
): { side: Side; reason: WriteReason } | { side: undefined; reason: NoneReason } {
  switch (input.rule) {
    case 'always-hubspot':
      return { side: 'hubspot', reason: 'always' };
    case 'always-salesforce':
      return { side: 'salesforce', reason: 'always' };
    case 'prefer-salesforce-unless-blank':
      return sfBlank ? { side: 'hubspot', reason: 'fill-blank' } : { side: 'salesforce', reason: 'preferred' };
    case 'prefer-hubspot-unless-blank':
      return hsBlank ? { side: 'salesforce', reason: 'fill-blank' } : { side: 'hubspot', reason: 'preferred' };
    case 'dont-sync':
      return { side: undefined, reason: 'dont-sync' };
    case 'two-way':
      break;
  }
  const ledger = input.ledger;
  if (ledger) {
    const hsChanged = hs.fingerprint !== ledger.hubspot;
    const sfChanged = sf.fingerprint !== ledger.salesforce;
    if (hsChanged && !sfChanged) return { side: 'hubspot', reason: 'only-changed' };
    if (sfChanged && !hsChanged) return { side: 'salesforce', reason: 'only-changed' };
    if (!hsChanged && !sfChanged) return { side: undefined, reason: 'unchanged' };
  } else {
    if (sfBlank) return { side: 'hubspot', reason: 'fill-blank' };
    if (hsBlank) return { side: 'salesforce', reason: 'fill-blank' };
  }
  // Both changed (or first sync of two different values): the most recent change wins; a tie goes to Salesforce,
  // the system of record for sales.
  const hsAt = input.hubspot.changedAt ?? Number.NEGATIVE_INFINITY;
  const sfAt = input.salesforce.changedAt ?? Number.NEGATIVE_INFINITY;
  return hsAt > sfAt ? { side: 'hubspot', reason: 'most-recent' } : { side: 'salesforce', reason: 'most-recent' };
}
