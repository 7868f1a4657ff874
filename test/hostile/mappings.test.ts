/**
 * Hostile mapping files: alias bombs, huge and deeply nested files, prototype keys, tags, several
 * documents, SOQL in field names. Each is refused with a problem that says where and why, quickly,
 * without polluting Object.prototype; through the admin API (POST .../mappings/validate on the real
 * server) the server answers and keeps answering, and nothing is enqueued; through `revloop validate`
 * the command exits 1 with the problem, not a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkMappingTexts } from '../../src/config/mapping/load.js';
import { editedTexts, shippedText, tempMappingsDir } from '../helpers/mappings.js';
import { ADMIN_TOKEN, send, startHostileServer, type HostileServer } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const contacts = shippedText('contacts');

function replaceOnce(text: string, find: string, replace: string): string {
  if (!text.includes(find)) throw new Error(`"${find}" is not in the shipped file`);
  return text.replace(find, replace);
}

/** Nine levels of nine aliases: 9^9 nodes once expanded ("billion laughs"). */
function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${contacts}\n${lines.join('\n')}\n`;
}

const nestedCondition = (depth: number): string => (depth === 0 ? '{ field: hubspot.email, exists: true }' : `{ all: [${nestedCondition(depth - 1)}] }`);
const SCOPE = 'scope:\n  hubspot:\n    field: hubspot.email\n    exists: true';

interface Case {
  name: string;
  /** The hostile contacts.yaml (or another file when `file` says so). */
  text: () => string;
  file?: 'contacts' | 'lifecycle';
  /** What the first error says. */
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'a billion-laughs alias bomb', text: aliasBomb, message: /alias|Excessive/i },
  { name: 'an alias bomb through merge keys', text: () => `${contacts}\nbase: &b { x: 1 }\n${Array.from({ length: 150 }, (_, i) => `m${i}: { <<: [*b, *b] }`).join('\n')}\n`, message: /Excessive alias count/ },
  { name: 'an alias used before its anchor', text: () => replaceOnce(contacts, 'rule: two-way', 'rule: *undefined_anchor'), message: /alias|anchor|undefined/i },
  { name: 'a file over 1 MiB', text: () => `${contacts}\n# ${'x'.repeat(1_100_000)}\n`, message: /limited to 1048576 bytes/ },
  { name: '10,000 nested flow sequences', text: () => `${contacts}\nx: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, message: /YAML/ },
  { name: 'a scope condition nested 2,000 levels deep', text: () => replaceOnce(contacts, SCOPE, `scope:\n  hubspot: ${nestedCondition(2000)}`), message: /YAML|deep|nest/i },
  { name: 'a __proto__ key at the top', text: () => `__proto__: { polluted: yes }\n${contacts}`, message: /unknown key "__proto__"/ },
  { name: 'a __proto__ key inside a field rule', text: () => replaceOnce(contacts, '    rule: two-way\n', '    rule: two-way\n    __proto__: { polluted: yes }\n'), message: /__proto__/ },
  { name: 'a constructor.prototype key', text: () => `constructor: { prototype: { polluted: yes } }\n${contacts}`, message: /unknown key "constructor"/ },
  { name: 'a picklist map with a __proto__ entry', text: () => replaceOnce(contacts, '    transform: [trim]\n', '    transform:\n      - picklist: { map: { __proto__: { polluted: yes } }, unmapped: keep }\n'), message: /map needs at least one value/ },
  { name: 'the same key twice', text: () => replaceOnce(contacts, 'version: 1\n', 'version: 1\nversion: 2\n'), message: /appears twice/ },
  { name: 'a !!js/function tag', text: () => replaceOnce(contacts, 'salesforce: Email', 'salesforce: !!js/function "function () { return process.exit(1) }"'), message: /Salesforce field API name/ },
  { name: 'a !!binary field name', text: () => replaceOnce(contacts, 'salesforce: Email', 'salesforce: !!binary RW1haWw='), message: /unknown key/ },
  { name: 'two YAML documents in one file', text: () => `${contacts}\n---\nversion: 1\n`, message: /multiple documents/ },
  { name: 'a scalar instead of a mapping', text: () => '"just a string"\n', message: /YAML mapping/ },
  { name: 'a list instead of a mapping', text: () => '- version: 1\n', message: /YAML mapping/ },
  { name: 'an empty file', text: () => '', message: /empty/ },
  { name: 'a Salesforce field name carrying SOQL', text: () => replaceOnce(contacts, 'salesforce: Email', 'salesforce: "Email FROM Lead WHERE Id != null --"'), message: /Salesforce field API name/ },
  { name: 'a Salesforce field name with a quote', text: () => replaceOnce(contacts, 'salesforce: Email', `salesforce: "Email' OR Id != null"`), message: /Salesforce field API name/ },
  { name: 'a HubSpot property named __proto__', text: () => replaceOnce(contacts, 'hubspot: email', 'hubspot: __proto__'), message: /HubSpot internal property name/ },
  { name: 'a version of 1e400', text: () => replaceOnce(contacts, 'version: 1\n', 'version: 1e400\n'), message: /version/ },
  { name: 'a NUL byte in a value', text: () => replaceOnce(contacts, 'salesforce: Email', 'salesforce: "Em\u0000ail"'), message: /Salesforce field API name/ },
  { name: '8,000 extra fields just under the size limit', text: () => `${contacts}${Array.from({ length: 8000 }, (_, i) => `  - { hubspot: p${i}, salesforce: F${i}__c, rule: two-way, hubspot_type: string, salesforce_type: string }`).join('\n')}\n`, message: /<=500 items/ },
  {
    name: 'a lifecycle whose transitions name 5,000 unknown stages',
    file: 'lifecycle',
    text: () => replaceOnce(shippedText('lifecycle'), '\ntransitions:\n', `\ntransitions:\n  - { from: mql, to: [${Array.from({ length: 5000 }, (_, i) => `s${i}`).join(', ')}] }\n`),
    message: /not a stage or detour/,
  },
];

let s: HostileServer;
beforeAll(async () => {
  s = await startHostileServer([{ id: 'main', portalId: 111, secret: 'secret-of-main' }]);
});
afterAll(async () => s?.close());
afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('hostile mapping files, checked in process', () => {
  it.each(CASES)('refuses $name with a located problem, in bounded time', ({ text, file, message }) => {
    const texts = editedTexts();
    const key = file ?? 'contacts';
    texts[key] = { file: `${key}.yaml`, text: text() };
    const started = performance.now();
    const result = checkMappingTexts(texts);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.set).toBeUndefined();
    expect(result.errors).toBeGreaterThan(0);
    const first = result.problems.find((p) => p.severity === 'error');
    expect(first?.file).toBe(`${key}.yaml`);
    expect(first?.message).toMatch(message);
  });
});

describe('hostile mapping files through the admin API', () => {
  it.each(CASES)('answers $name with the problems (or 413), keeps serving, enqueues nothing', async ({ text, file }) => {
    const before = await s.keys();
    const body = JSON.stringify({ files: { [file ?? 'contacts']: text() } });
    const res = await send(s.url, { path: '/api/connections/main/mappings/validate', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` } });
    if (res.status === 200) {
      expect(res.json).toMatchObject({ valid: false });
      expect((res.json?.errors as number) > 0).toBe(true);
    } else {
      expect([400, 413]).toContain(res.status);
      expect(res.json?.message).toBeTruthy();
    }
    expect((await send(s.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect(await s.keys()).toEqual(before);
    for (const q of s.queues) expect(await q.count()).toBe(0);
  });
});

describe('hostile mapping files through revloop validate', () => {
  it.each([CASES[0] as Case, CASES[3] as Case, CASES[4] as Case])('exits 1 on $name, printing the problem and no stack trace', ({ text, message }) => {
    const dir = tempMappingsDir({ 'contacts.yaml': text() });
    try {
      const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'revloop.js'), 'validate', '--dir', dir.dir], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      expect(run.status).toBe(1);
      const output = `${run.stdout}${run.stderr}`;
      expect(output).toMatch(/contacts\.yaml/);
      expect(output).toMatch(message);
      expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    } finally {
      dir.cleanup();
    }
  }, 60_000);
});
