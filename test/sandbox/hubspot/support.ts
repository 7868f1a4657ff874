/**
 * Small helpers the HubSpot simulator tests call explicitly: start a sandbox on port 0 and point
 * the real `@hubspot/api-client` at it; read an ApiException's parts.
 */
import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../../src/sandbox/hubspot/index.js';

export interface Started {
  sandbox: HubSpotSandbox;
  client: Client;
}

/** A fixed clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-03-02T09:00:00.000Z')) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
    set(ms: number) {
      current = ms;
    },
  };
}

export async function startSandbox(options: HubSpotSandboxOptions = {}, clientOptions: { numberOfApiCallRetries?: number } = {}): Promise<Started> {
  const sandbox = await startHubSpotSandbox({ clientId: 'test-client-id', clientSecret: 'test-client-secret-0001', ...options });
  const client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl, ...clientOptions });
  return { sandbox, client };
}

export interface ApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Runs a call that must fail and returns the client's ApiException parts. */
export async function apiError(call: () => Promise<unknown>): Promise<ApiError> {
  try {
    await call();
  } catch (err) {
    const e = err as { code?: unknown; body?: unknown; headers?: unknown };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, body: (e.body ?? {}) as Record<string, unknown>, headers: (e.headers ?? {}) as Record<string, string> };
  }
  throw new Error('expected the call to fail');
}
