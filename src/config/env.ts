/**
 * Every environment variable revloop reads, in one zod schema, parsed once at start-up.
 * A bad environment is reported in full (every bad variable, with what is wrong and an example)
 * and the process exits 1; nothing reads process.env anywhere else.
 */
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (what: string) =>
  z.url({ error: `must be a URL (${what})`, protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const int = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** 32 bytes, as 64 hex characters or base64. */
const encryptionKey = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex characters or base64 (generate one with: openssl rand -base64 32)' });
    return z.NEVER;
  }
  return bytes;
});

const keyList = z.string().transform((value, ctx) => {
  const keys: Buffer[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const parsed = encryptionKey.safeParse(part);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of 32-byte keys (64 hex characters or base64)' });
      return z.NEVER;
    }
    keys.push(parsed.data);
  }
  return keys;
});

/** Proxies whose X-Forwarded-* headers are believed: a number of hops, or addresses, subnets and express's names. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IPV4_OR_SUBNET = /^(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?$/;
const IPV6_OR_SUBNET = /^[0-9a-f]*:[0-9a-f:.]*(?:\/\d{1,3})?$/i;
const trustProxy = z.string().transform((value, ctx): number | string[] => {
  const v = value.trim();
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const bad = entries.filter((e) => !PROXY_NAMES.has(e) && !IPV4_OR_SUBNET.test(e) && !IPV6_OR_SUBNET.test(e));
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be a number of proxies in front of revloop, or addresses and subnets of them (loopback, linklocal, uniquelocal, 10.0.0.0/8, ...)${bad.length > 0 ? `; not ${bad.join(', ')}` : ''}` });
    return z.NEVER;
  }
  return entries;
});

const secret = (what: string, min = 8) => z.string().min(min, `must be at least ${min} characters (${what})`);

export const envSchema = z
  .object({
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Which proxies in front of the server are believed about the client's address (rate limits). */
    REVLOOP_TRUST_PROXY: trustProxy.optional(),
    PORT: int(0, 65_535).default(3000),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
      .default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key; lets several deployments share one Redis. */
    REVLOOP_REDIS_ROOT: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'may only contain letters, digits and _ . -').default('revloop'),
    REVLOOP_PUBLIC_URL: url('the address users and HubSpot reach this server at, e.g. https://revloop.example.com').optional(),
    REVLOOP_MAPPINGS_DIR: z.string().min(1).default('mappings'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    LOG_PRETTY: bool.default(false),
    /** Log email addresses and phone numbers in clear (debugging a sandbox only). */
    REVLOOP_LOG_PERSONAL_DATA: bool.default(false),

    REVLOOP_ENCRYPTION_KEY: encryptionKey.optional(),
    /** Earlier keys, still accepted for reading while stored tokens are re-encrypted with the current one. */
    REVLOOP_ENCRYPTION_PREVIOUS_KEYS: keyList.optional(),
    REVLOOP_ADMIN_TOKEN: secret('bearer token for the admin API', 24).optional(),
    REVLOOP_READONLY_TOKEN: secret('bearer token for read-only API access', 24).optional(),

    /** oauth: revloop is a HubSpot app portals install; private-app: one portal, server to server. Unset: connections carry their own credentials. */
    HUBSPOT_AUTH_MODE: z.enum(['oauth', 'private-app'], { error: 'must be oauth or private-app' }).optional(),
    HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
    HUBSPOT_CLIENT_SECRET: secret('HubSpot app client secret').optional(),
    HUBSPOT_APP_ID: int(1, Number.MAX_SAFE_INTEGER).optional(),
    HUBSPOT_PRIVATE_APP_TOKEN: secret('HubSpot private-app access token').optional(),
    /** private-app mode: the app's client secret (it signs the app's webhooks) and the portal the token belongs to. */
    HUBSPOT_WEBHOOK_SECRET: secret('HubSpot private-app client secret (signs its webhooks)').optional(),
    HUBSPOT_PORTAL_ID: int(1, Number.MAX_SAFE_INTEGER).optional(),
    HUBSPOT_BASE_URL: url('HubSpot API base, e.g. https://api.hubapi.com').default('https://api.hubapi.com'),
    HUBSPOT_AUTHORIZE_URL: url('HubSpot authorize page').default('https://app.hubspot.com/oauth/authorize'),

    /** oauth: web server flow with PKCE; jwt: JWT bearer for one org, server to server. Unset: connections carry their own credentials. */
    SALESFORCE_AUTH_MODE: z.enum(['oauth', 'jwt'], { error: 'must be oauth or jwt' }).optional(),
    SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
    SALESFORCE_CLIENT_SECRET: secret('Salesforce connected app consumer secret').optional(),
    SALESFORCE_JWT_PRIVATE_KEY: z.string().min(1).optional(),
    SALESFORCE_JWT_USERNAME: z.string().min(3).optional(),
    SALESFORCE_LOGIN_URL: url('e.g. https://login.salesforce.com or https://test.salesforce.com').default('https://login.salesforce.com'),
    SALESFORCE_INSTANCE_URL: url('e.g. https://mycompany.my.salesforce.com').optional(),
    SALESFORCE_API_VERSION: z.string().regex(/^\d{2}\.0$/, 'must look like 62.0').default('62.0'),

    /** Share of the org's daily Salesforce API allocation revloop may use, in percent. */
    REVLOOP_SALESFORCE_DAILY_SHARE: int(1, 100).default(50),
    /** HubSpot ten-second window revloop may use (110 for OAuth apps, 190 for private apps on Professional). */
    REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: int(1, 1000).optional(),
    /** HubSpot daily calls revloop may use (private apps; OAuth apps have no daily header). */
    REVLOOP_HUBSPOT_DAILY_LIMIT: int(1, 100_000_000).optional(),
    REVLOOP_BATCH_WINDOW_MS: int(0, 60_000).default(1000),
    REVLOOP_BULK_THRESHOLD: int(200, 10_000_000).default(10_000),
    REVLOOP_SWEEP_INTERVAL_MINUTES: int(1, 24 * 60).default(15),
    REVLOOP_WORKER_CONCURRENCY: int(1, 256).default(8),
    REVLOOP_NOTIFY_URL: url('receives SLA breach notices').optional(),
    REVLOOP_DIGEST_WEBHOOK_URL: url('receives the weekly digest').optional(),
  });

/**
 * Variables required by the chosen auth modes. Checked on the raw input, so they are reported
 * together with type errors of other variables (a schema refinement would only run once
 * everything else is valid).
 */
function missingRequirements(raw: EnvInput): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const need = (variable: string, why: string) => {
    if (raw[variable] === undefined) problems.push({ variable, message: `is required ${why}` });
  };
  const hubspotMode = raw.HUBSPOT_AUTH_MODE;
  const salesforceMode = raw.SALESFORCE_AUTH_MODE;
  if (hubspotMode === 'private-app') need('HUBSPOT_PRIVATE_APP_TOKEN', 'when HUBSPOT_AUTH_MODE=private-app');
  if (raw.HUBSPOT_WEBHOOK_SECRET !== undefined) need('HUBSPOT_PORTAL_ID', 'with HUBSPOT_WEBHOOK_SECRET (webhooks reach a connection by its portal)');
  if (hubspotMode === 'oauth') {
    need('HUBSPOT_CLIENT_ID', 'when HUBSPOT_AUTH_MODE=oauth');
    need('HUBSPOT_CLIENT_SECRET', 'when HUBSPOT_AUTH_MODE=oauth (it also verifies webhook signatures)');
  }
  if (salesforceMode === 'jwt') {
    need('SALESFORCE_CLIENT_ID', 'when SALESFORCE_AUTH_MODE=jwt');
    need('SALESFORCE_JWT_PRIVATE_KEY', 'when SALESFORCE_AUTH_MODE=jwt (PEM text or a path to it)');
    need('SALESFORCE_JWT_USERNAME', 'when SALESFORCE_AUTH_MODE=jwt');
  }
  if (salesforceMode === 'oauth') {
    need('SALESFORCE_CLIENT_ID', 'when SALESFORCE_AUTH_MODE=oauth');
    need('SALESFORCE_CLIENT_SECRET', 'when SALESFORCE_AUTH_MODE=oauth');
  }
  need('REVLOOP_ENCRYPTION_KEY', 'to encrypt stored tokens (generate one with: openssl rand -base64 32)');
  need('REVLOOP_ADMIN_TOKEN', 'to protect the admin API (generate one with: openssl rand -hex 32)');
  if (hubspotMode === 'oauth' || salesforceMode === 'oauth') need('REVLOOP_PUBLIC_URL', 'for the OAuth redirect URLs');
  return problems;
}

export type Env = z.infer<typeof envSchema>;
export type EnvInput = Record<string, string | undefined>;

export interface EnvProblem {
  variable: string;
  message: string;
}

/** Parses an environment; returns every problem, never only the first. */
export function parseEnv(source: EnvInput): { env: Env; problems: [] } | { env?: undefined; problems: EnvProblem[] } {
  // Empty strings mean "not set", as in most shells and compose files.
  const cleaned: EnvInput = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = envSchema.safeParse(cleaned);
  const problems: EnvProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message.replace(/^Invalid input: /, ''),
      }));
  problems.push(...missingRequirements(cleaned));
  if (result.success && problems.length === 0) return { env: result.data, problems: [] };
  return { problems: problems.sort((a, b) => a.variable.localeCompare(b.variable)) };
}

export function formatEnvProblems(problems: EnvProblem[]): string {
  const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
  return `cannot start: ${problems.length} environment variable${problems.length === 1 ? '' : 's'} ${problems.length === 1 ? 'is' : 'are'} missing or invalid:\n${lines.join('\n')}\nSee the Configuration section of the README.`;
}

/** Parses the environment or throws one ENV_INVALID error listing every problem. */
export function loadEnv(source: EnvInput = process.env): Env {
  const parsed = parseEnv(source);
  if (parsed.env) return parsed.env;
  throw new RevloopError('ENV_INVALID', formatEnvProblems(parsed.problems), { details: { problems: parsed.problems } });
}
