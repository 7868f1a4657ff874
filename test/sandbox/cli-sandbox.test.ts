/**
 * `revloop sandbox` end to end: the real command in a child process prints one JSON line first, the real HubSpot and
 * Salesforce clients work against the URLs and credentials it gives, the same seed gives the same people, and it stops
 * cleanly on SIGTERM. Bad flags are refused with a clear error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revloop.js');

const connectionSchema = z.object({
  hubspot: z.strictObject({ baseUrl: z.url(), accessToken: z.string().min(10), appId: z.number(), clientId: z.string(), clientSecret: z.string(), portalId: z.number() }),
  salesforce: z.strictObject({
    instanceUrl: z.url(),
    loginUrl: z.url(),
    accessToken: z.string().min(10),
    clientId: z.string(),
    clientSecret: z.string(),
    version: z.string().regex(/^\d+\.0$/),
    orgId: z.string(),
    cometdUrl: z.url(),
  }),
  seed: z.number(),
  people: z.number(),
});

const running: ChildProcess[] = [];

/** Starts the command and resolves with its first stdout line (and the process). */
function start(args: string[]): Promise<{ child: ChildProcess; first: string; rest: Promise<string> }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let first: string | undefined;
    let rest = '';
    let done: (value: string) => void = () => undefined;
    const restPromise = new Promise<string>((r) => (done = r));
    lines.on('line', (line) => {
      if (first === undefined) {
        first = line;
        resolve({ child, first, rest: restPromise });
      } else rest += `${line}\n`;
    });
    lines.on('close', () => done(rest));
    child.on('exit', (code) => {
      if (first === undefined) reject(new Error(`revloop sandbox exited ${code} before printing: ${stderr}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('revloop sandbox', () => {
  it('prints the connection as its first line, serves the generated people to the real clients, and stops on SIGTERM', async () => {
    const { child, first, rest } = await start(['--people', '50', '--seed', '7']);
    const connection = connectionSchema.parse(JSON.parse(first));
    expect(connection.people).toBe(50);

    const hubspot = new Client({ accessToken: connection.hubspot.accessToken, basePath: connection.hubspot.baseUrl, numberOfApiCallRetries: 0 });
    const contacts = await hubspot.crm.contacts.basicApi.getPage(100, undefined, ['email', 'lifecyclestage']);
    expect(contacts.results.length).toBeGreaterThan(20);
    expect(contacts.results.every((c) => /@/.test(c.properties.email ?? ''))).toBe(true);

    const conn = new jsforce.Connection({ instanceUrl: connection.salesforce.instanceUrl, accessToken: connection.salesforce.accessToken, version: connection.salesforce.version });
    const leads = await conn.query<{ Email: string; Status: string }>('SELECT Email, Status FROM Lead');
    expect(leads.totalSize).toBeGreaterThan(5);
    const users = await conn.query<{ Email: string }>("SELECT Email FROM User WHERE Title = 'Account Executive'");
    const owners = await hubspot.crm.owners.ownersApi.getPage();
    for (const user of users.records) expect(owners.results.map((o) => o.email)).toContain(user.Email);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const human = await rest;
    expect(human).toContain('HubSpot simulator');
    expect(human).toContain('Data: 50 people (seed 7)');

    const again = await start(['--people', '50', '--seed', '7']);
    const second = connectionSchema.parse(JSON.parse(again.first));
    const hubspotAgain = new Client({ accessToken: second.hubspot.accessToken, basePath: second.hubspot.baseUrl, numberOfApiCallRetries: 0 });
    const contactsAgain = await hubspotAgain.crm.contacts.basicApi.getPage(100, undefined, ['email', 'lifecyclestage']);
    expect(contactsAgain.results.map((c) => [c.id, c.properties.email, c.properties.lifecyclestage])).toEqual(contacts.results.map((c) => [c.id, c.properties.email, c.properties.lifecyclestage]));
    again.child.kill('SIGINT');
    expect(await exited(again.child)).toBe(0);
  }, 60_000);

  it('refuses a bad flag with a clear error and exit code 1', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--people', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain('--people must be a whole number');
  }, 30_000);
});
