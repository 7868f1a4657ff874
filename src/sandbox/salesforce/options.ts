/** Options of the Salesforce simulator, validated at the boundary with zod (every problem listed at once). */
import { z } from 'zod';
import { faultConfigSchema } from '../common/faults.js';
import { changeDataCaptureOptionsSchema } from './cdc/options.js';
import { customFieldsConfigSchema } from './schema/custom-field-input.js';
import { sandboxUserSchema } from './store/bootstrap.js';

export const MIN_API_VERSION = 50;
export const MAX_API_VERSION = 64;

const versionSchema = z
  .string()
  .regex(/^\d{2}\.0$/, "must look like '62.0'")
  .refine((v) => Number(v) >= MIN_API_VERSION && Number(v) <= MAX_API_VERSION, `must be between ${MIN_API_VERSION}.0 and ${MAX_API_VERSION}.0`);

export const salesforceSandboxOptionsSchema = z.strictObject({
  /** TCP port (0 = a free one). */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  /** Injectable clock (epoch ms): token expiry, record timestamps, daily limits, date literals. */
  now: z.custom<() => number>((v) => typeof v === 'function', 'must be a function returning epoch ms').optional(),
  version: versionSchema.default('62.0'),
  orgId: z.string().regex(/^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/, 'must be a Salesforce org id (00D..., 15 or 18 characters)').optional(),
  clientId: z.string().min(8).optional(),
  clientSecret: z.string().min(8).optional(),
  /** The integration user's long-lived session (default: a generated one). */
  accessToken: z.string().min(20).optional(),
  /** Lifetime of OAuth access tokens (the long-lived sandbox session does not expire). */
  tokenTtlSeconds: z.number().int().min(1).default(7200),
  /** PEM public key ("BEGIN PUBLIC KEY") or certificate ("BEGIN CERTIFICATE") that verifies JWT bearer assertions. */
  jwtPublicKeyPem: z.string().includes('-----BEGIN').optional(),
  /** Allowed OAuth callback URLs (empty: any http(s) URL). */
  redirectUris: z.array(z.string().url()).default([]),
  /** The org's daily API request allocation (rolling 24 hours of the clock). */
  dailyApiLimit: z.number().int().min(1).default(100_000),
  customFields: customFieldsConfigSchema.optional(),
  bareOrg: z.boolean().default(false),
  users: z.array(sandboxUserSchema).default([]),
  faults: faultConfigSchema.optional(),
  /** Records per REST query page when no Sforce-Query-Options batchSize is sent (Salesforce: 2000). */
  queryPageSize: z.number().int().min(1).max(2000).default(2000),
  /** Rows per Bulk API 2.0 query result page when no maxRecords is given. */
  bulkQueryPageSize: z.number().int().min(1).default(50_000),
  /** How long bulk jobs stay queued before processing starts (ms), so clients really poll. */
  bulkJobDelayMs: z.number().int().min(0).max(60_000).default(150),
  /** Change Data Capture (CometD at /cometd/<version>): on by default; false turns it off. */
  changeDataCapture: z.union([z.literal(false), changeDataCaptureOptionsSchema]).prefault({}),
});

export type SalesforceSandboxOptions = z.input<typeof salesforceSandboxOptionsSchema>;
export type ResolvedSandboxOptions = z.output<typeof salesforceSandboxOptionsSchema>;

export function parseSandboxOptions(input: SalesforceSandboxOptions = {}): ResolvedSandboxOptions {
  const parsed = salesforceSandboxOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new Error(`Invalid Salesforce sandbox options:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** 'v62.0' → '62.0' when the version is one the simulator serves, else undefined (Salesforce answers 404). */
export function apiVersionOf(segment: string): string | undefined {
  const m = /^v(\d{2})\.0$/.exec(segment);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n >= MIN_API_VERSION && n <= MAX_API_VERSION ? `${n}.0` : undefined;
}
