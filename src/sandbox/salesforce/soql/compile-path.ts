/** Resolves field paths ('Email', 'Account.Name', 'Owner.Manager.Email', 'Who.Name') against the schema. */
import { text, type FieldDef } from '../schema/field-def.js';
import type { ObjectSchema, OrgSchema } from '../schema/org-schema.js';
import type { FieldPath } from './compiled-query.js';
import { noSuchColumn, unknownRelationship } from './query-errors.js';

/** `Type` of a polymorphic relationship (Who.Type): the name of the record's object. */
export const POLYMORPHIC_TYPE_FIELD: FieldDef = text('Type', 'Type', 40, { computed: true });

export interface PathScope {
  schema: OrgSchema;
  object: ObjectSchema;
  /** The FROM alias ('FROM Lead l'), which may prefix paths. */
  alias: string | undefined;
  soql: string;
}

export function resolvePath(scope: PathScope, dotted: string): FieldPath {
  const parts = dotted.split('.');
  const first = parts[0] ?? '';
  if (parts.length > 1) {
    const lower = first.toLowerCase();
    const isPrefix = lower === scope.object.name.toLowerCase() || (scope.alias !== undefined && lower === scope.alias.toLowerCase());
    if (isPrefix && scope.object.parentRelationship(first) === undefined) parts.shift();
  }
  let targets: ObjectSchema[] = [scope.object];
  const steps: string[] = [];
  const relationshipNames: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const name = parts[i] ?? '';
    const current = targets[0];
    if (targets.length !== 1 || current === undefined) throw unknownRelationship(scope.soql, name);
    const rel = current.parentRelationship(name);
    if (rel === undefined || rel.relationshipName === null) throw unknownRelationship(scope.soql, name);
    steps.push(rel.name);
    relationshipNames.push(rel.relationshipName);
    targets = rel.referenceTo.map((t) => scope.schema.object(t)).filter((o): o is ObjectSchema => o !== undefined);
  }
  const last = parts[parts.length - 1] ?? '';
  let field: FieldDef | undefined;
  if (targets.length > 1 && last.toLowerCase() === 'type') field = POLYMORPHIC_TYPE_FIELD;
  else for (const target of targets) field ??= target.field(last);
  if (field === undefined) throw noSuchColumn(scope.soql, last, targets[0]?.name ?? scope.object.name);
  return { steps, relationshipNames, field, fieldName: field.name, display: [...relationshipNames, field.name].join('.') };
}
