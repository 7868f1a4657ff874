/**
 * Webhook request signatures as HubSpot computes them.
 * - v1: hex SHA-256 of `clientSecret + body` (sent as X-HubSpot-Signature with version v1);
 * - v3: base64 HMAC-SHA256, keyed with the client secret, of `method + uri + body + timestamp`
 *   (X-HubSpot-Signature-v3 with X-HubSpot-Request-Timestamp in epoch ms). The URI is the full
 *   target URL with HubSpot's list of percent-escapes decoded.
 */
import { createHash, createHmac } from 'node:crypto';

const DECODED: ReadonlyArray<[string, string]> = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
];

export function uriForSignature(url: string): string {
  let out = url;
  for (const [escaped, plain] of DECODED) out = out.replace(new RegExp(escaped, 'gi'), plain);
  return out;
}

export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}

export function signatureV3(clientSecret: string, method: string, url: string, body: string, timestamp: number): string {
  return createHmac('sha256', clientSecret)
    .update(`${method}${uriForSignature(url)}${body}${timestamp}`, 'utf8')
    .digest('base64');
}
