/** A SOQL query resolved against the org's schema, ready to plan and run. */
import type { FieldDef } from '../schema/field-def.js';
import type { ObjectTable, RawValue } from '../storage/object-table.js';
import type { TimeRange } from './literals.js';

export interface FieldPath {
  /** Reference fields walked from the queried object ('AccountId', then 'OwnerId'). */
  steps: string[];
  /** Relationship names as the API writes them ('Account', 'Owner'): the nesting keys of the result. */
  relationshipNames: string[];
  /** The final field (on the first target of a polymorphic relationship). */
  field: FieldDef;
  fieldName: string;
  /** 'Account.Owner.Email' */
  display: string;
}

export type SelectItem =
  | { kind: 'field'; path: FieldPath }
  | { kind: 'subquery'; relationshipName: string; childField: string; query: CompiledQuery };

export type CountMode = { kind: 'none' } | { kind: 'count' } | { kind: 'aggregate'; alias: string; path: FieldPath | undefined };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Compared values: text lower-cased, numbers (dates as ms), booleans, references encoded (-1: an id that exists nowhere). */
export type Predicate =
  | { kind: 'compare'; path: FieldPath; op: ComparisonOp; value: RawValue }
  | { kind: 'in'; path: FieldPath; negate: boolean; values: RawValue[] }
  | { kind: 'like'; path: FieldPath; pattern: RegExp }
  | { kind: 'range'; path: FieldPath; op: ComparisonOp; range: TimeRange }
  | { kind: 'includes'; path: FieldPath; negate: boolean; sets: string[][] }
  | { kind: 'semi'; path: FieldPath; negate: boolean; query: CompiledQuery };

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'pred'; pred: Predicate };

export interface OrderItem {
  path: FieldPath;
  descending: boolean;
  nullsFirst: boolean;
}

export interface CompiledQuery {
  soql: string;
  table: ObjectTable;
  select: SelectItem[];
  count: CountMode;
  where: Condition | undefined;
  orderBy: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
}
