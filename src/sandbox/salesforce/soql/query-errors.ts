/** SOQL errors in Salesforce's shape: the query, a caret under the offending token, its row and column, the reason. */
import { SalesforceApiError } from '../errors.js';

/** Locates `token` in the query (case-insensitive, whole word when possible) and formats Salesforce's message. */
export function queryError(errorCode: string, soql: string, token: string | undefined, reason: string): SalesforceApiError {
  let index = -1;
  if (token !== undefined && token !== '') {
    const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql);
    index = match === null ? soql.toLowerCase().indexOf(token.toLowerCase()) : match.index + (match[1] ?? '').length;
  }
  if (index < 0) index = soql.length;
  const before = soql.slice(0, index);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = index - lineStart + 1;
  const line = soql.split('\n')[row - 1] ?? soql;
  const message = `\n${line}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${reason}`;
  return new SalesforceApiError(errorCode, message);
}

export function noSuchColumn(soql: string, field: string, objectName: string): SalesforceApiError {
  return queryError(
    'INVALID_FIELD',
    soql,
    field,
    `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unknownRelationship(soql: string, relationship: string): SalesforceApiError {
  return queryError(
    'INVALID_FIELD',
    soql,
    relationship,
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unknownObject(soql: string, objectName: string): SalesforceApiError {
  return queryError(
    'INVALID_TYPE',
    soql,
    objectName,
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unknownChildRelationship(soql: string, relationship: string): SalesforceApiError {
  return queryError(
    'INVALID_TYPE',
    soql,
    relationship,
    `Didn't understand relationship '${relationship}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
