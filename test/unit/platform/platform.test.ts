import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_TRAITS, httpStatusOf, RevloopError, toRevloopError } from '../../../src/platform/errors.js';
import { createLogger, isSecretKey, scrub } from '../../../src/platform/logger.js';
import { deploymentKey, Keyspace, queuePrefix } from '../../../src/platform/redis.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { destination, text: () => lines.join('') };
}

describe('errors', () => {
  it('has one status and recovery per code', () => {
    for (const code of ERROR_CODES) expect(ERROR_TRAITS[code].status).toBeGreaterThanOrEqual(400);
    const limited = new RevloopError('RATE_LIMITED', 'slow down', { waitMs: 10_000 });
    expect([limited.status, limited.recovery, limited.waitMs]).toEqual([429, 'rate-limited', 10_000]);
    expect(new RevloopError('DAILY_LIMIT_REACHED', 'x').recovery).toBe('unrecoverable');
    expect(new RevloopError('UPSTREAM_UNAVAILABLE', 'x').recovery).toBe('retryable');
    expect(httpStatusOf(new Error('x'))).toBe(500);
    expect(httpStatusOf(new RevloopError('NOT_FOUND', 'x'))).toBe(404);
    expect(new RevloopError('BAD_REQUEST', 'x', { details: { field: 'email' } }).toJSON()).toEqual({ code: 'BAD_REQUEST', message: 'x', details: { field: 'email' } });
    expect(toRevloopError('boom')).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    const original = new RevloopError('CONFLICT', 'same');
    expect(toRevloopError(original)).toBe(original);
  });
});

describe('logger', () => {
  it('never writes secrets, and masks personal data unless allowed', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, level: 'debug' });
    log.info({ accessToken: 'tok-123456', headers: { authorization: 'Bearer abc.def' }, client_secret: 's3cr3t', nested: { refresh_token: 'r-1' }, email: 'ada@example.com' }, 'user ada@example.com called with Bearer xyz123');
    log.error({ err: Object.assign(new Error('failed for 00D000000000001!AQ0123456789abcdefghijklmnop'), { apiKey: 'k' }) }, 'failed');
    const text = out.text();
    for (const secret of ['tok-123456', 'abc.def', 's3cr3t', 'r-1', 'xyz123', '00D000000000001!AQ', '"k"']) expect(text).not.toContain(secret);
    expect(text).not.toContain('ada@example.com');
    expect(text).toContain('[email]');
    expect(text).toContain('Bearer [redacted]');

    const open = capture();
    createLogger({ destination: open.destination, personalData: true }).info({ email: 'ada@example.com', password: 'pw' }, 'hi');
    expect(open.text()).toContain('ada@example.com');
    expect(open.text()).not.toContain('"pw"');
  });

  it('masks phone numbers but not dates, times, ids, amounts or IP addresses', () => {
    const policy = { personalData: false };
    for (const phone of ['+1 555 010 2030', '(555) 010-2030', '+44 20 7946 0958', '555.010.2030', '+15550102030']) expect(scrub(`call ${phone} now`, policy)).toBe('call [phone] now');
    for (const text of ['paused until 2026-11-30T00:00:00.000Z', 'record 1800000000000', 'at 12:30:45', 'amount 1234567.89', 'lead 00Q5g000000000HEAQ', 'connect ECONNREFUSED 127.0.0.1:6379', 'redis at 10.20.130.200:6379']) expect(scrub(text, policy)).toBe(text);
  });

  it('recognises secret keys and survives cycles', () => {
    expect(['accessToken', 'client_secret', 'Authorization', 'privateKey', 'hapikey', 'x-hubspot-signature-v3'].every(isSecretKey)).toBe(true);
    expect(['email', 'firstname', 'portalId'].some(isSecretKey)).toBe(false);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(scrub(cyclic, { personalData: false })).toEqual({ a: 1, self: '[circular]' });
  });
});

describe('redis key naming', () => {
  it('prefixes every key with a hash-tagged connection id', () => {
    const keys = new Keyspace('conn-1');
    expect(keys.key('links', 'contact', 42)).toBe('revloop:{conn-1}:links:contact:42');
    expect(keys.pattern).toBe('revloop:{conn-1}:*');
    expect(new Keyspace('c', 'test-x').prefix).toBe('test-x:{c}');
    expect(queuePrefix('test-x')).toBe('test-x:{q}');
    expect(deploymentKey('revloop', 'connections')).toBe('revloop:{deployment}:connections');
  });

  it('refuses ids that could break out of their prefix', () => {
    expect(() => new Keyspace('a:b')).toThrow(/may only contain/);
    expect(() => new Keyspace('x', 'r*')).toThrow(/may only contain/);
  });
});
