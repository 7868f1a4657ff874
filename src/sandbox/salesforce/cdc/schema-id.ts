/**
 * Event schema ids. Salesforce names each change event schema by a 22-character URL-safe id that changes when the
 * object's fields change (a new custom field, a changed type). The sandbox derives it from the entity name and a
 * fingerprint of its fields, so it is stable for a schema and changes with it.
 */
import { createHash } from 'node:crypto';

export function schemaIdOf(entityName: string, fieldsFingerprint = ''): string {
  return createHash('sha256').update(`${entityName}ChangeEvent\n${fieldsFingerprint}`).digest('base64url').slice(0, 22);
}
