/**
 * Both simulators in their own process, loaded with the people of bench/lib/people.ts, for the scale
 * and chaos runs. The first stdout line is JSON (PeopleSandboxInfo) with the endpoints; it serves
 * until SIGTERM. Besides the simulators' own control endpoints (/__sandbox/faults, /calls, /webhooks)
 * it answers on a control port of its own (loopback):
 *
 *   GET  /verify     counts per side, people present twice (same email), links that do not agree
 *   POST /edits      edits and creations made by people in either system's UI (webhooks and change events follow)
 *   GET  /snapshot   every person on both sides with the compared fields (NDJSON, one line per record)
 *
 *   tsx bench/lib/people-sandbox-process.ts '{"hubspotOnly":400,"salesforceOnly":400,"both":200}'
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { startHubSpotSandbox } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox } from '../../src/sandbox/salesforce/index.js';
import { COMPARED_FIELDS, invalidIndexes, invalidValues, personValues, type PersonValues } from './people.js';

const optionsSchema = z.object({
  hubspotOnly: z.number().int().min(0),
  salesforceOnly: z.number().int().min(0),
  both: z.number().int().min(0),
  /** Share of all people (taken from the HubSpot-only ones) with a value Salesforce refuses. */
  invalidRate: z.number().min(0).max(0.5).default(0),
  /** Salesforce Change Data Capture (live changes reach revloop through it). */
  cdc: z.boolean().default(false),
  rateLimits: z.boolean().default(false),
});

export type PeopleSandboxOptions = z.input<typeof optionsSchema>;

export interface PeopleSandboxInfo {
  hubspot: { baseUrl: string; accessToken: string; portalId: number; appId: number; webhookSecret: string };
  salesforce: { instanceUrl: string; loginUrl: string; accessToken: string; version: string };
  control: string;
  invalid: number[];
}

export const editSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('update'), side: z.enum(['hubspot', 'salesforce']), email: z.string(), field: z.enum(['firstname', 'lastname', 'jobtitle', 'city']), value: z.string() }),
  z.object({ kind: z.literal('create'), side: z.enum(['hubspot', 'salesforce']), index: z.number().int().min(0) }),
]);
export type Edit = z.infer<typeof editSchema>;

export interface EditResult {
  applied: number;
  /** Edits of people the side does not hold (yet): the harness retries them later. */
  missing: Edit[];
}

export interface VerifySummary {
  hubspot: { records: number; people: number; duplicates: number; withoutEmail: number; withoutLink: number };
  salesforce: { records: number; people: number; duplicates: number; withoutEmail: number; withoutLink: number };
  /** Links that point at a record that does not point back. */
  disagreeingLinks: number;
  /** Emails present on one side only. */
  oneSided: { hubspot: number; salesforce: number };
}

/** One record as /snapshot prints it. */
export interface SnapshotRecord {
  side: 'hubspot' | 'salesforce';
  id: string;
  object: string;
  email: string | null;
  link: string | null;
  fields: Record<string, string | null>;
}

const CHUNK = 50_000;
const HS_PROPS = ['email', 'revloop_salesforce_lead_id', 'revloop_salesforce_contact_id', ...COMPARED_FIELDS.map((f) => f.hubspot)];

function leadOf(v: PersonValues): Record<string, string> {
  return { Email: v.email, FirstName: v.firstname, LastName: v.lastname, Title: v.jobtitle, City: v.city, Company: v.company };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function main(): Promise<void> {
  const options = optionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const hubspot = await startHubSpotSandbox({ rateLimits: { enabled: options.rateLimits } });
  const salesforce = await startSalesforceSandbox({ dailyApiLimit: 1_000_000_000, ...(options.cdc ? {} : { changeDataCapture: false }) });
  const { hubspotOnly, salesforceOnly, both } = options;
  const invalid = invalidIndexes({ hubspotOnly, salesforceOnly, both }, options.invalidRate);
  const invalidAt = new Map(invalid.map((index, k) => [index, k]));
  const hsTotal = hubspotOnly + both;
  for (let start = 0; start < hsTotal; start += CHUNK) {
    const n = Math.min(CHUNK, hsTotal - start);
    hubspot.store.createMany(
      'contacts',
      Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const bad = invalidAt.get(i);
        return { properties: { ...personValues(i), ...(bad === undefined ? {} : invalidValues(i, bad)) } };
      }),
      { actor: { source: 'CRM_UI' }, quiet: true },
    );
  }
  const sfTotal = both + salesforceOnly;
  for (let start = 0; start < sfTotal; start += CHUNK) {
    const n = Math.min(CHUNK, sfTotal - start);
    salesforce.store.insertMany(
      'Lead',
      Array.from({ length: n }, (_, k) => leadOf(personValues(hubspotOnly + start + k))),
      // entered by the org's people, not by revloop's integration user
      { emitChanges: false, origin: 'ui' },
    );
  }

  const sfIdByEmail = (email: string): { object: string; id: string } | undefined => {
    for (const object of ['Contact', 'Lead']) {
      const found = salesforce.store.findByExternalId(object, 'Email', email);
      if (found[0]) return { object, id: found[0] };
    }
    return undefined;
  };

  const applyEdits = (edits: Edit[]): EditResult => {
    const result: EditResult = { applied: 0, missing: [] };
    for (const edit of edits) {
      if (edit.kind === 'create') {
        const v = personValues(edit.index);
        if (edit.side === 'hubspot') hubspot.store.create('contacts', { properties: { ...v } }, { actor: { source: 'CRM_UI', userId: 1 } });
        else salesforce.store.insert('Lead', leadOf(v), { origin: 'ui' });
        result.applied += 1;
        continue;
      }
      const field = COMPARED_FIELDS.find((f) => f.hubspot === edit.field);
      if (!field) continue;
      if (edit.side === 'hubspot') {
        const contact = hubspot.store.getBy('contacts', 'email', edit.email);
        if (!contact) {
          result.missing.push(edit);
          continue;
        }
        hubspot.store.update('contacts', contact.id, { [field.hubspot]: edit.value }, { actor: { source: 'CRM_UI', userId: 1 } });
      } else {
        const ref = sfIdByEmail(edit.email);
        if (!ref) {
          result.missing.push(edit);
          continue;
        }
        salesforce.store.update(ref.object, ref.id, { [ref.object === 'Lead' ? field.salesforce : field.contact]: edit.value }, { origin: 'ui' });
      }
      result.applied += 1;
    }
    return result;
  };

  function* hubspotRecords(): Generator<SnapshotRecord> {
    let after: string | undefined;
    do {
      const page = hubspot.store.list('contacts', { limit: 5000, ...(after ? { after } : {}), properties: HS_PROPS });
      for (const c of page.results) {
        const p = c.properties as Record<string, string | null | undefined>;
        yield {
          side: 'hubspot',
          id: c.id,
          object: 'contacts',
          email: p.email ?? null,
          link: p.revloop_salesforce_contact_id || p.revloop_salesforce_lead_id || null,
          fields: Object.fromEntries(COMPARED_FIELDS.map((f) => [f.hubspot, p[f.hubspot] ?? null])),
        };
      }
      after = page.nextAfter;
    } while (after);
  }

  function* salesforceRecords(): Generator<SnapshotRecord> {
    for (const object of ['Lead', 'Contact']) {
      const fieldOf = (f: (typeof COMPARED_FIELDS)[number]) => (object === 'Lead' ? f.salesforce : f.contact);
      const fields = ['Id', 'Email', 'Revloop_HubSpot_Id__c', ...COMPARED_FIELDS.map(fieldOf), ...(object === 'Lead' ? ['IsConverted'] : [])];
      for (const r of salesforce.store.query(`SELECT ${fields.join(', ')} FROM ${object}`).records) {
        if (r.IsConverted === true) continue;
        yield {
          side: 'salesforce',
          id: String(r.Id),
          object,
          email: (r.Email as string | null) ?? null,
          link: (r.Revloop_HubSpot_Id__c as string | null) ?? null,
          fields: Object.fromEntries(COMPARED_FIELDS.map((f) => [f.hubspot, (r[fieldOf(f)] as string | null | undefined) ?? null])),
        };
      }
    }
  }

  const verify = (): VerifySummary => {
    const count = (records: Iterable<SnapshotRecord>) => {
      const byEmail = new Map<string, string>();
      const links = new Map<string, string | null>();
      let records_ = 0;
      let duplicates = 0;
      let withoutEmail = 0;
      let withoutLink = 0;
      for (const r of records) {
        records_ += 1;
        links.set(r.id, r.link);
        if (!r.link) withoutLink += 1;
        const email = r.email?.trim().toLowerCase();
        if (!email) withoutEmail += 1;
        else if (byEmail.has(email)) duplicates += 1;
        else byEmail.set(email, r.id);
      }
      return { summary: { records: records_, people: byEmail.size, duplicates, withoutEmail, withoutLink }, byEmail, links };
    };
    const hs = count(hubspotRecords());
    const sf = count(salesforceRecords());
    let disagreeing = 0;
    for (const [id, link] of hs.links) if (link && sf.links.get(link) !== id) disagreeing += 1;
    for (const [id, link] of sf.links) if (link && hs.links.get(link) !== id) disagreeing += 1;
    let hsOnly = 0;
    let sfOnly = 0;
    for (const email of hs.byEmail.keys()) if (!sf.byEmail.has(email)) hsOnly += 1;
    for (const email of sf.byEmail.keys()) if (!hs.byEmail.has(email)) sfOnly += 1;
    return { hubspot: hs.summary, salesforce: sf.summary, disagreeingLinks: disagreeing, oneSided: { hubspot: hsOnly, salesforce: sfOnly } };
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const control = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/verify') return send(res, 200, verify());
        if (req.method === 'POST' && req.url === '/edits') return send(res, 200, applyEdits(z.array(editSchema).parse(await readBody(req))));
        if (req.method === 'GET' && req.url === '/snapshot') {
          res.writeHead(200, { 'content-type': 'application/x-ndjson' });
          let buffer = '';
          for (const r of [...hubspotRecords(), ...salesforceRecords()]) {
            buffer += `${JSON.stringify(r)}\n`;
            if (buffer.length > 1 << 20) {
              if (!res.write(buffer)) await new Promise((r2) => res.once('drain', r2));
              buffer = '';
            }
          }
          res.end(buffer);
          return;
        }
        send(res, 404, { error: 'NOT_FOUND' });
      } catch (err) {
        send(res, 500, { error: 'INTERNAL', message: (err as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  const info: PeopleSandboxInfo = {
    hubspot: { baseUrl: hubspot.baseUrl, accessToken: hubspot.accessToken, portalId: hubspot.portalId, appId: hubspot.privateAppId, webhookSecret: hubspot.clientSecret },
    salesforce: { instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.loginUrl, accessToken: salesforce.accessToken, version: salesforce.version },
    control: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    invalid,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const stop = async () => {
    control.close();
    await Promise.allSettled([hubspot.close(), salesforce.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

await main();
