/**
 * Applies a field mapping's transforms to a value crossing to the other side. Transforms run in
 * the order written toward Salesforce, and in reverse order toward HubSpot, with picklist maps
 * reversed. `concat` is resolved by the record planner (it needs several source fields).
 */
import type { Transform } from '../../config/mapping/schema/transform.js';
import { isBlank, type SalesforceValue } from './values.js';

export type Direction = 'toSalesforce' | 'toHubSpot';

export type TransformResult =
  | { kind: 'value'; value: SalesforceValue }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; message: string };

/** Owner ids on both sides, matched by the owner's email. */
export interface OwnerDirectory {
  hubspotToSalesforce: ReadonlyMap<string, string>;
  salesforceToHubSpot: ReadonlyMap<string, string>;
}

export const EMPTY_OWNERS: OwnerDirectory = { hubspotToSalesforce: new Map(), salesforceToHubSpot: new Map() };

function round(value: number, decimals: number, rounding: 'half_up' | 'floor' | 'ceil'): number {
  const factor = 10 ** decimals;
  const scaled = value * factor;
  const r = rounding === 'floor' ? Math.floor(scaled) : rounding === 'ceil' ? Math.ceil(scaled) : Math.sign(scaled) * Math.round(Math.abs(scaled));
  return r / factor;
}

function formatDate(value: SalesforceValue, format: 'iso_date' | 'iso_datetime' | 'epoch_ms'): TransformResult {
  if (typeof value === 'boolean' || value === null || value === undefined) return { kind: 'value', value };
  const text = String(value);
  const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return { kind: 'invalid', message: `"${text}" is not a date` };
  const iso = new Date(ms).toISOString();
  const out = format === 'epoch_ms' ? String(ms) : format === 'iso_date' ? iso.slice(0, 10) : iso;
  return { kind: 'value', value: out };
}

function applyOne(t: Transform, value: SalesforceValue, direction: Direction, owners: OwnerDirectory): TransformResult {
  switch (t.kind) {
    case 'trim':
      return { kind: 'value', value: typeof value === 'string' ? value.trim() : value };
    case 'lowercase':
      return { kind: 'value', value: typeof value === 'string' ? value.toLowerCase() : value };
    case 'uppercase':
      return { kind: 'value', value: typeof value === 'string' ? value.toUpperCase() : value };
    case 'default':
      return { kind: 'value', value: isBlank(value) ? t.default : value };
    case 'truncate':
      return { kind: 'value', value: typeof value === 'string' && value.length > t.truncate ? value.slice(0, t.truncate) : value };
    case 'number': {
      if (isBlank(value)) return { kind: 'value', value };
      const n = typeof value === 'number' ? value : Number(String(value).replace(/,/g, ''));
      if (!Number.isFinite(n)) return { kind: 'invalid', message: `"${String(value)}" is not a number` };
      return { kind: 'value', value: round(n, t.number.decimals, t.number.rounding) };
    }
    case 'date':
      return isBlank(value) ? { kind: 'value', value } : formatDate(value, t.date.format);
    case 'owner': {
      if (isBlank(value)) return { kind: 'value', value };
      const table = direction === 'toSalesforce' ? owners.hubspotToSalesforce : owners.salesforceToHubSpot;
      const mapped = table.get(String(value));
      return mapped === undefined
        ? { kind: 'skip', reason: `owner ${String(value)} has no ${direction === 'toSalesforce' ? 'Salesforce user' : 'HubSpot owner'} with the same email` }
        : { kind: 'value', value: mapped };
    }
    case 'picklist': {
      if (isBlank(value)) return { kind: 'value', value };
      const key = String(value);
      let mapped: string | undefined;
      if (direction === 'toSalesforce') mapped = t.picklist.map[key];
      else mapped = Object.entries(t.picklist.map).find(([, sf]) => sf === key)?.[0];
      if (mapped !== undefined) return { kind: 'value', value: mapped };
      switch (t.picklist.unmapped) {
        case 'keep':
          return { kind: 'value', value };
        case 'drop':
          return { kind: 'skip', reason: `"${key}" is not in the picklist map` };
        case 'default':
          return direction === 'toSalesforce' ? { kind: 'value', value: t.picklist.default ?? null } : { kind: 'skip', reason: `"${key}" is not in the picklist map` };
      }
      return { kind: 'value', value };
    }
    case 'concat':
      return { kind: 'value', value };
  }
}

/** Runs the transforms for one direction; stops at the first skip or invalid value. */
export function applyTransforms(transforms: readonly Transform[], value: SalesforceValue, direction: Direction, owners: OwnerDirectory = EMPTY_OWNERS): TransformResult {
  if (transforms.length === 0) return { kind: 'value', value };
  const ordered = direction === 'toSalesforce' || transforms.length === 1 ? transforms : [...transforms].reverse();
  let current: TransformResult = { kind: 'value', value };
  for (const t of ordered) {
    if (current.kind !== 'value') return current;
    current = applyOne(t, current.value, direction, owners);
  }
  return current;
}
