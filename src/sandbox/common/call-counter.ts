/**
 * Counts the calls a simulator answers, per method and route template ("POST /crm/v3/objects/:objectType/batch/upsert"),
 * so tests and benchmarks can prove how many API calls revloop spent.
 */
import type { NextFunction, Request, Response } from 'express';

export interface CallCount {
  route: string;
  count: number;
  /** Calls answered with a status >= 400. */
  errors: number;
}

export class CallCounter {
  private readonly counts = new Map<string, { count: number; errors: number }>();
  private totalCalls = 0;

  record(route: string, status: number): void {
    const entry = this.counts.get(route) ?? { count: 0, errors: 0 };
    entry.count += 1;
    if (status >= 400) entry.errors += 1;
    this.counts.set(route, entry);
    this.totalCalls += 1;
  }

  get total(): number {
    return this.totalCalls;
  }

  /** Calls whose route matches `filter` (a substring or a predicate). */
  count(filter?: string | ((route: string) => boolean)): number {
    if (filter === undefined) return this.totalCalls;
    const test = typeof filter === 'string' ? (r: string) => r.includes(filter) : filter;
    let n = 0;
    for (const [route, entry] of this.counts) if (test(route)) n += entry.count;
    return n;
  }

  snapshot(): CallCount[] {
    return [...this.counts.entries()]
      .map(([route, e]) => ({ route, count: e.count, errors: e.errors }))
      .sort((a, b) => b.count - a.count || a.route.localeCompare(b.route));
  }

  reset(): void {
    this.counts.clear();
    this.totalCalls = 0;
  }

  /** Express middleware: records each call when its response finishes, under its route template. */
  middleware(options: { ignore?: (path: string) => boolean } = {}) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (options.ignore?.(req.path)) return next();
      res.on('finish', () => {
        const routePath = (req.route as { path?: string } | undefined)?.path;
        const template = routePath === undefined ? req.path : `${req.baseUrl}${String(routePath)}`;
        this.record(`${req.method} ${template}`, res.statusCode);
      });
      next();
    };
  }
}

/**
 * Whether a counted route ("METHOD /template") can change data: anything but GET and HEAD, except
 * HubSpot's reads that are POSTs (batch read, search). Salesforce's SOQL reads are GETs.
 */
export function isWriteRoute(route: string): boolean {
  const [method = '', path = ''] = route.split(' ');
  if (method === 'GET' || method === 'HEAD') return false;
  return !(method === 'POST' && /\/(batch\/read|search)$/.test(path));
}
