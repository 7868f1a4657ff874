import { describe, expect, it } from 'vitest';
import { formatEnvProblems, loadEnv, parseEnv } from '../../../src/config/env.js';
import { RevloopError } from '../../../src/platform/errors.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const complete = {
  HUBSPOT_AUTH_MODE: 'oauth',
  SALESFORCE_AUTH_MODE: 'oauth',
  HUBSPOT_CLIENT_ID: 'hs-client',
  HUBSPOT_CLIENT_SECRET: 'hs-secret-123',
  SALESFORCE_CLIENT_ID: 'sf-client',
  SALESFORCE_CLIENT_SECRET: 'sf-secret-123',
  REVLOOP_ENCRYPTION_KEY: KEY,
  REVLOOP_ADMIN_TOKEN: 'a'.repeat(40),
  REVLOOP_PUBLIC_URL: 'https://revloop.example.com/',
};

describe('environment', () => {
  it('parses a complete OAuth environment with defaults', () => {
    const { env, problems } = parseEnv(complete);
    expect(problems).toEqual([]);
    expect(env).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'info', REVLOOP_PUBLIC_URL: 'https://revloop.example.com', SALESFORCE_API_VERSION: '62.0' });
    expect(env?.REVLOOP_ENCRYPTION_KEY).toEqual(Buffer.alloc(32, 7));
  });

  it('reads REVLOOP_TRUST_PROXY as hops or addresses, and says what is wrong with a bad one', () => {
    expect(parseEnv({ ...complete, REVLOOP_TRUST_PROXY: '1' }).env?.REVLOOP_TRUST_PROXY).toBe(1);
    expect(parseEnv({ ...complete, REVLOOP_TRUST_PROXY: 'loopback, 172.16.0.0/12, fd00::/8' }).env?.REVLOOP_TRUST_PROXY).toEqual(['loopback', '172.16.0.0/12', 'fd00::/8']);
    expect(parseEnv(complete).env?.REVLOOP_TRUST_PROXY).toBeUndefined();
    const bad = parseEnv({ ...complete, REVLOOP_TRUST_PROXY: 'loopback, my proxy' });
    expect(bad.problems).toEqual([expect.objectContaining({ variable: 'REVLOOP_TRUST_PROXY', message: expect.stringMatching(/not my proxy/) })]);
  });

  it('leaves NODE_ENV to Node and the libraries: any value starts revloop the same', () => {
    for (const NODE_ENV of ['production', 'staging', 'development']) {
      const { env, problems } = parseEnv({ ...complete, NODE_ENV });
      expect(problems).toEqual([]);
      expect(env).not.toHaveProperty('NODE_ENV');
    }
  });

  it('parses server-to-server modes (private app, JWT bearer) without a public URL', () => {
    const { env, problems } = parseEnv({
      HUBSPOT_AUTH_MODE: 'private-app',
      HUBSPOT_PRIVATE_APP_TOKEN: 'pat-na1-0000',
      SALESFORCE_AUTH_MODE: 'jwt',
      SALESFORCE_CLIENT_ID: 'sf',
      SALESFORCE_JWT_PRIVATE_KEY: '/run/secrets/sf.pem',
      SALESFORCE_JWT_USERNAME: 'integration@example.com',
      REVLOOP_ENCRYPTION_KEY: 'ab'.repeat(32),
      REVLOOP_ENCRYPTION_PREVIOUS_KEYS: `${KEY}, ${'cd'.repeat(32)}`,
      REVLOOP_ADMIN_TOKEN: 'b'.repeat(32),
      LOG_PRETTY: 'yes',
      PORT: '',
    });
    expect(problems).toEqual([]);
    expect(env?.REVLOOP_ENCRYPTION_PREVIOUS_KEYS).toHaveLength(2);
    expect(env?.LOG_PRETTY).toBe(true);
    expect(env?.PORT).toBe(3000);
  });

  it('lists every bad variable at once', () => {
    const { env, problems } = parseEnv({
      ...complete,
      PORT: '99999',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://localhost',
      REVLOOP_ENCRYPTION_KEY: 'too-short',
      REVLOOP_ENCRYPTION_PREVIOUS_KEYS: 'nope',
      REVLOOP_ADMIN_TOKEN: 'short',
      REVLOOP_PUBLIC_URL: 'not a url',
      REVLOOP_SALESFORCE_DAILY_SHARE: '0',
      LOG_PRETTY: 'maybe',
      SALESFORCE_AUTH_MODE: 'jwt',
    });
    expect(env).toBeUndefined();
    expect(problems.map((p) => p.variable)).toEqual([
      'LOG_LEVEL',
      'LOG_PRETTY',
      'PORT',
      'REDIS_URL',
      'REVLOOP_ADMIN_TOKEN',
      'REVLOOP_ENCRYPTION_KEY',
      'REVLOOP_ENCRYPTION_PREVIOUS_KEYS',
      'REVLOOP_PUBLIC_URL',
      'REVLOOP_SALESFORCE_DAILY_SHARE',
      'SALESFORCE_JWT_PRIVATE_KEY',
      'SALESFORCE_JWT_USERNAME',
    ]);
    const text = formatEnvProblems(problems);
    expect(text).toContain('11 environment variables are missing or invalid');
    expect(text).toContain('PORT: must be at most 65535');
    expect(text).toContain('REVLOOP_ENCRYPTION_KEY: must be 32 bytes');
  });

  it('loadEnv throws one ENV_INVALID error carrying every problem', () => {
    let caught: unknown;
    try {
      loadEnv({});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RevloopError);
    expect((caught as RevloopError).code).toBe('ENV_INVALID');
    expect(((caught as RevloopError).details.problems as unknown[]).length).toBe(2);
    expect(() => loadEnv({ HUBSPOT_AUTH_MODE: 'oauth', SALESFORCE_AUTH_MODE: 'oauth' })).toThrow(/7 environment variables/);
    expect(loadEnv(complete).HUBSPOT_AUTH_MODE).toBe('oauth');
  });
});
