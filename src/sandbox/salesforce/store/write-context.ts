/** Who writes, and through which door: decides CreatedById/LastModifiedById and the change feed's changeOrigin. */

export type WriteOrigin = 'api' | 'ui' | 'apex';
export type ApiName = 'rest' | 'soap' | 'bulkapi';

export interface WriteContext {
  /** The writing user's id (default: the integration user; the admin for 'ui' writes). */
  userId?: string;
  /** 'api' for API clients (default), 'ui' for simulated edits in the Salesforce UI, 'apex' for automation. */
  origin?: WriteOrigin;
  /** The API used by an 'api' write (default 'rest'). */
  api?: ApiName;
  /** API version of the call, '62.0' (default: the sandbox's version). */
  apiVersion?: string;
  /** The client id from the Sforce-Call-Options header (`client=...`). */
  client?: string;
  /** Publish the changes to the change feed (default true). Bulk seeding may turn it off. */
  emitChanges?: boolean;
  /**
   * "Set Audit Fields upon Record Creation": lets inserts set CreatedDate, CreatedById, LastModifiedDate and
   * LastModifiedById (the data generator uses it for history). Off for API clients.
   */
  auditFields?: boolean;
}

export interface ResolvedContext {
  userId: string;
  origin: WriteOrigin;
  changeOrigin: string;
  emitChanges: boolean;
  auditFields: boolean;
}

/** 'com/salesforce/api/<api>/<version>[;client=<id>]' for API writes, '' for UI edits (Change Data Capture format). */
export function changeOriginOf(ctx: WriteContext, defaultVersion: string): string {
  const origin = ctx.origin ?? 'api';
  if (origin === 'ui') return '';
  const api = origin === 'apex' ? 'apex' : (ctx.api ?? 'rest');
  const base = `com/salesforce/api/${api}/${ctx.apiVersion ?? defaultVersion}`;
  return ctx.client !== undefined && ctx.client !== '' ? `${base};client=${ctx.client}` : base;
}
