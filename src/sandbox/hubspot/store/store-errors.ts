/**
 * Errors the store raises. The HTTP layer turns each into HubSpot's error body; code that uses
 * the store directly (data generator, activity driver, tests) catches them by class.
 */

/** One refused property value, in the shape HubSpot reports it (`error` is HubSpot's code). */
export interface PropertyValueError {
  name: string;
  error: string;
  message: string;
}

export abstract class StoreError extends Error {
  abstract readonly kind: 'NOT_FOUND' | 'CONFLICT' | 'INVALID_VALUES' | 'INVALID_REQUEST';
}

export class NotFoundError extends StoreError {
  readonly kind = 'NOT_FOUND' as const;
  constructor(
    message: string,
    readonly ids: string[] = [],
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends StoreError {
  readonly kind = 'CONFLICT' as const;
  constructor(
    message: string,
    readonly existingId?: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Property values a write was refused for; nothing of that write was applied. */
export class PropertyValuesError extends StoreError {
  readonly kind = 'INVALID_VALUES' as const;
  constructor(readonly errors: PropertyValueError[]) {
    super(`Property values were not valid: ${JSON.stringify(errors.map((e) => ({ isValid: false, ...e })))}`);
    this.name = 'PropertyValuesError';
  }
}

/** A request that makes no sense for the store (unknown association type, merging a record into itself...). */
export class InvalidRequestError extends StoreError {
  readonly kind = 'INVALID_REQUEST' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
