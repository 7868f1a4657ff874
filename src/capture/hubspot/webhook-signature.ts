/**
 * HubSpot webhook signatures (v3): base64 HMAC-SHA256, keyed with the app's client secret, of
 * method + URI + body + timestamp, where the URI is the full URL with HubSpot's listed
 * percent-escapes decoded. Compared in constant time; requests older than five minutes are refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_AGE_MS = 5 * 60_000;

const DECODE: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function canonicalUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);
}

export function signV3(secret: string, method: string, url: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${canonicalUri(url)}${body}${timestamp}`, 'utf8').digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Checks one request against one secret. */
export function checkV3(input: { secret: string; method: string; url: string; body: string; signature: string | undefined; timestamp: string | undefined; now: number }): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const age = input.now - Number(timestamp);
  if (age > MAX_AGE_MS || age < -MAX_AGE_MS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signV3(input.secret, input.method, input.url, input.body, timestamp));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
