/**
 * Errors the simulated org raises, in Salesforce's vocabulary. REST renders them as an array of
 * `{message, errorCode, fields?}`; sObject Collections and SOAP as `{statusCode, message, fields}`.
 */

export interface RestErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface CollectionError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class SalesforceApiError extends Error {
  readonly errorCode: string;
  readonly fields: string[] | undefined;
  readonly httpStatus: number;

  /** fields: the fields the error is about (DML errors carry the key, even empty; request errors omit it). */
  constructor(errorCode: string, message: string, options: { fields?: string[]; httpStatus?: number } = {}) {
    super(message);
    this.name = 'SalesforceApiError';
    this.errorCode = errorCode;
    this.fields = options.fields;
    this.httpStatus = options.httpStatus ?? 400;
  }

  toRest(): RestErrorBody {
    return this.fields === undefined
      ? { message: this.message, errorCode: this.errorCode }
      : { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }

  toCollection(): CollectionError {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields ?? [] };
  }
}

export function isSalesforceApiError(err: unknown): err is SalesforceApiError {
  return err instanceof SalesforceApiError;
}

/** A DML error about a record (fields always present, as Salesforce writes them). */
export function dmlError(errorCode: string, message: string, fields: string[] = []): SalesforceApiError {
  return new SalesforceApiError(errorCode, message, { fields });
}

export function notFound(message = 'The requested resource does not exist'): SalesforceApiError {
  return new SalesforceApiError('NOT_FOUND', message, { httpStatus: 404 });
}

export function malformedQuery(message: string): SalesforceApiError {
  return new SalesforceApiError('MALFORMED_QUERY', message);
}

/** An upsert whose external id matched several records: HTTP 300 with the matching records' urls. */
export class MultipleMatchesError extends SalesforceApiError {
  constructor(readonly objectName: string, readonly ids: string[]) {
    super('MULTIPLE_CHOICES', `More than one record found for external id field: ${ids.join(', ')}`, { httpStatus: 300 });
  }
}
