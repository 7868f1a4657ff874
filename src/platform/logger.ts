/**
 * Structured logging with pino. Two guarantees:
 * - secrets never reach a log line: values under secret-looking keys are replaced, and strings that
 *   look like bearer tokens or Salesforce session ids are masked wherever they appear;
 * - personal data (email addresses, phone numbers) is masked unless the deployment opts in with
 *   REVLOOP_LOG_PERSONAL_DATA=true (useful while debugging a mapping in a sandbox).
 */
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

const SECRET_KEY_PARTS = [
  'token', 'secret', 'password', 'passwd', 'authorization', 'cookie', 'assertion', 'codeverifier',
  'privatekey', 'apikey', 'hapikey', 'signature', 'sessionid', 'encryptionkey', 'credential',
];
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /\+?\(?\d[\d ().-]{7,}\d/g;
/** What the phone pattern also matches but is not a phone number: dates, times, bare ids, epochs and IPv4 addresses. */
const NOT_PHONE = /^(\d{4}-\d{2}-\d{2}|\d{2}:\d{2}|\d+$|\d+\.\d+$|\d{1,3}(\.\d{1,3}){3}$)/;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=!-]+/gi;
/** Salesforce session ids: org id, "!", then a long opaque string. */
const SF_SESSION = /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/g;
const MAX_DEPTH = 8;

export interface LogPolicy {
  personalData: boolean;
}

export function isSecretKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[^a-z]/g, '');
  return SECRET_KEY_PARTS.some((part) => flat.includes(part));
}

export function scrubString(value: string, policy: LogPolicy): string {
  let out = value.replace(BEARER, `$1 ${REDACTED}`).replace(SF_SESSION, REDACTED);
  if (!policy.personalData) out = out.replace(EMAIL, '[email]').replace(PHONE, (m) => (NOT_PHONE.test(m) ? m : '[phone]'));
  return out;
}

/** Returns a copy of `value` that is safe to log under `policy`. */
export function scrub(value: unknown, policy: LogPolicy, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value, policy);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { type: value.name, message: scrubString(value.message, policy) };
    if (value.stack) plain.stack = scrubString(value.stack, policy);
    for (const [k, v] of Object.entries(value)) plain[k] = isSecretKey(k) ? REDACTED : scrub(v, policy, depth + 1, seen);
    return plain;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, policy, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : scrub(v, policy, depth + 1, seen);
  }
  return out;
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  personalData?: boolean;
  pretty?: boolean;
  name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to capture every line. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const policy: LogPolicy = { personalData: options.personalData ?? false };
  const transport =
    options.pretty && !options.destination
      ? pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } })
      : undefined;
  return pino(
    {
      name: options.name ?? 'revloop',
      level: options.level ?? 'info',
      formatters: {
        log: (obj) => scrub(obj, policy) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubString(a, policy) : a));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: unknown) => scrub(err, policy),
      },
    },
    options.destination ?? transport,
  );
}

/** A logger that writes nothing; for library code called without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
