import { RevloopError } from '../platform/errors.js';

/** The action of a command whose issue has not landed yet: says so clearly and exits 1. */
export function notAvailableYet(command: string, what: string): () => never {
  return () => {
    throw new RevloopError('NOT_AVAILABLE_YET', `revloop ${command} is not available yet: ${what}`);
  };
}
