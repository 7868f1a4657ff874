/**
 * Salesforce change events (Change Data Capture) as revloop reads them, and what each asks of the
 * sync. Events of revloop's own writes (changeOrigin names revloop's client) are echoes.
 */
import { z } from 'zod';

import { REVLOOP_CLIENT } from '../../providers/salesforce/salesforce-api.js';

const headerSchema = z.object({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.string(),
  changeOrigin: z.string().default(''),
  transactionKey: z.string().optional(),
  sequenceNumber: z.number().optional(),
  commitTimestamp: z.number(),
  commitNumber: z.number().optional(),
  commitUser: z.string().optional(),
  changedFields: z.array(z.string()).default([]),
});

export const changeEventSchema = z.object({
  payload: z.looseObject({ ChangeEventHeader: headerSchema }),
  event: z.object({ replayId: z.number() }),
});

export type ChangeEvent = z.infer<typeof changeEventSchema>;
export type ChangeHeader = z.infer<typeof headerSchema>;

export type ChangeAction =
  | { kind: 'change'; object: string; ids: string[] }
  | { kind: 'delete'; object: string; ids: string[] }
  | { kind: 'overflow'; object: string }
  | { kind: 'echo' }
  | { kind: 'ignored'; reason: string };

export function isOwnChange(header: ChangeHeader): boolean {
  return new RegExp(`(^|;)client=${REVLOOP_CLIENT}(;|$)`).test(header.changeOrigin);
}

export function actionOfChange(header: ChangeHeader): ChangeAction {
  const object = header.entityName;
  switch (header.changeType) {
    case 'CREATE':
    case 'UPDATE':
    case 'UNDELETE':
      return isOwnChange(header) ? { kind: 'echo' } : { kind: 'change', object, ids: header.recordIds };
    case 'DELETE':
      return isOwnChange(header) ? { kind: 'echo' } : { kind: 'delete', object, ids: header.recordIds };
    // Gap events say "something changed, read it": the sync reads the current state either way.
    case 'GAP_CREATE':
    case 'GAP_UPDATE':
    case 'GAP_UNDELETE':
      return { kind: 'change', object, ids: header.recordIds };
    case 'GAP_DELETE':
      return { kind: 'delete', object, ids: header.recordIds };
    case 'GAP_OVERFLOW':
      return { kind: 'overflow', object };
    default:
      return { kind: 'ignored', reason: `unknown change type ${header.changeType}` };
  }
}

/** Who wrote a change: a person in Salesforce's UI (empty origin), or an integration through the API. */
export function salesforceActor(header: ChangeHeader): string {
  if (isOwnChange(header)) return 'revloop';
  if (header.changeOrigin === '') return 'person';
  if (/\/apex\b/.test(header.changeOrigin)) return 'workflow';
  return 'integration';
}

const SYSTEM_FIELDS = new Set(['LastModifiedDate', 'SystemModstamp', 'LastModifiedById', 'CreatedDate', 'CreatedById', 'ChangeEventHeader']);

/** Field paths of a payload (compound fields such as Name expanded: Name.LastName). */
function payloadPaths(payload: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (SYSTEM_FIELDS.has(key) || value === null || value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value)) for (const inner of Object.keys(value as object)) out.push(`${key}.${inner}`);
    else out.push(key);
  }
  return out;
}

/**
 * The changed fields with their new values, compound fields flattened (Name.LastName → LastName).
 * A creation lists no changed fields: every field it carries is new.
 */
export function changedValues(event: ChangeEvent): Array<{ field: string; value: string | null }> {
  const payload = event.payload as Record<string, unknown>;
  const out: Array<{ field: string; value: string | null }> = [];
  const header = event.payload.ChangeEventHeader;
  const paths = header.changedFields.length > 0 || header.changeType !== 'CREATE' ? header.changedFields : payloadPaths(payload);
  for (const path of paths) {
    const parts = path.split('.');
    let value: unknown = payload;
    for (const p of parts) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[p] : undefined;
    const field = parts[parts.length - 1] as string;
    if (SYSTEM_FIELDS.has(field)) continue;
    if (value !== null && typeof value === 'object') continue;
    out.push({ field, value: value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value) });
  }
  return out;
}
