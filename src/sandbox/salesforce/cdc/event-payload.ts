/**
 * Builds the payload of a change event from one change of the store's change feed, as Salesforce sends it to a
 * CometD subscriber (Change Data Capture Developer Guide, "Change Event Body Fields", JSON messages):
 * - CREATE and UNDELETE: every non-empty field, system fields included; changedFields is empty;
 * - UPDATE: only the changed fields (a field set to null is present with null), LastModifiedDate among them except
 *   for a lead conversion's lead update; changedFields lists them, compound components as 'Compound.Component';
 * - DELETE: the header only.
 * Datetimes travel as '2024-04-09T20:26:27.000Z', dates as '2024-04-09'.
 */
import type { SalesforceChange } from '../change-feed.js';
import {
  OVERFLOW_CHANGE_TYPE,
  EMPTY_RECORD_ID,
  type ChangeEventHeader,
  type ChangeEventPayload,
  type GapChangeType,
} from './change-event.js';
import type { FieldLayout } from './field-layout.js';

const DATETIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A datetime in the form change events use; any other value unchanged. */
export function eventValue(value: unknown): unknown {
  if (typeof value !== 'string' || !DATETIME_WITH_ZONE.test(value)) return value;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

function headerOf(change: SalesforceChange, changedFields: string[]): ChangeEventHeader {
  return {
    entityName: change.entityName,
    recordIds: [...change.recordIds],
    changeType: change.changeType,
    changeOrigin: change.changeOrigin,
    transactionKey: change.transactionKey,
    sequenceNumber: change.sequenceNumber,
    commitTimestamp: change.commitTimestamp,
    commitNumber: change.commitNumber,
    commitUser: change.commitUser,
    changedFields,
  };
}

/** Writes one field into the body, nesting compound components. Returns the name changedFields uses. */
function place(body: Record<string, unknown>, layout: FieldLayout, field: string, value: unknown): string | null {
  const placement = layout.placementOf(field);
  if (placement === null) return null;
  if (placement.kind === 'plain') {
    body[placement.name] = eventValue(value);
    return placement.name;
  }
  const existing = body[placement.compound];
  const compound: Record<string, unknown> = typeof existing === 'object' && existing !== null ? { ...existing } : {};
  compound[placement.component] = eventValue(value);
  body[placement.compound] = compound;
  return `${placement.compound}.${placement.component}`;
}

/**
 * The lead update of a lead conversion: its change event carries the conversion fields (Status, IsConverted,
 * ConvertedDate, Converted*Id) but not LastModifiedDate ("Change Events for Lead Conversion").
 */
function isLeadConversion(change: SalesforceChange): boolean {
  return change.entityName === 'Lead' && change.changedFields.includes('IsConverted') && change.fields.IsConverted === true;
}

export function changeEventPayload(change: SalesforceChange, layout: FieldLayout): ChangeEventPayload {
  const body: Record<string, unknown> = {};
  const changedFields: string[] = [];
  switch (change.changeType) {
    case 'CREATE':
    case 'UNDELETE':
      for (const [field, value] of Object.entries(change.fields)) {
        if (value !== null && value !== undefined) place(body, layout, field, value);
      }
      break;
    case 'UPDATE': {
      const conversion = isLeadConversion(change);
      for (const field of change.changedFields) {
        if (conversion && field === 'LastModifiedDate') continue;
        const name = place(body, layout, field, change.fields[field] ?? null);
        if (name !== null && !changedFields.includes(name)) changedFields.push(name);
      }
      break;
    }
    case 'DELETE':
      break;
  }
  return { ...body, ChangeEventHeader: headerOf(change, changedFields) };
}

/** A gap event for a change Salesforce could not describe: the header of the change, no fields. */
export function gapPayload(change: SalesforceChange): ChangeEventPayload {
  const header = headerOf(change, []);
  header.changeType = `GAP_${change.changeType}` satisfies GapChangeType;
  return { ChangeEventHeader: header };
}

export interface OverflowFacts {
  entityName: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changeOrigin: string;
}

/** An overflow event: one per entity for the changes of a transaction beyond the threshold; no fields, no ids. */
export function overflowPayload(facts: OverflowFacts): ChangeEventPayload {
  return {
    ChangeEventHeader: {
      entityName: facts.entityName,
      recordIds: [EMPTY_RECORD_ID],
      changeType: OVERFLOW_CHANGE_TYPE,
      changeOrigin: facts.changeOrigin,
      transactionKey: facts.transactionKey,
      sequenceNumber: facts.sequenceNumber,
      commitTimestamp: facts.commitTimestamp,
      commitNumber: facts.commitNumber,
      commitUser: facts.commitUser,
      changedFields: [],
    },
  };
}
