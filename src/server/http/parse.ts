/** zod at the HTTP boundary: a request part that does not fit is refused with what and where. */
import type { z } from 'zod';
import { RevloopError } from '../../platform/errors.js';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path'): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${where}${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i.message}`);
  throw new RevloopError('BAD_REQUEST', `invalid request ${where}: ${problems.join('; ')}`, { details: { problems } });
}
