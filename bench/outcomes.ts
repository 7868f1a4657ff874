/**
 * `npm run bench -- outcomes [--opportunities N] [--latency MS]`
 *
 * Closed loop at scale: N open opportunities (default 10,000) on accounts of three people each, two
 * contact roles per opportunity, everyone linked by a backfill and every deal mirrored. Then sales
 * closes all N at once (60 % won, 40 % lost with a reason), as change events. revloop runs live in
 * this process, as `revloop start` runs it. Measured: the time until every involved HubSpot contact
 * shows its recomputed roll-ups, the HubSpot calls spent against the minimum (each changed contact
 * written once and each deal once, 100 per batch call), and that every roll-up is right.
 */
import { join } from 'node:path';
import { sandboxEndpoints, startLocalStack } from '../src/local/local-stack.js';
import { ensureRedis } from '../src/platform/local-redis.js';
import { createRedis, deleteByPrefix } from '../src/platform/redis.js';
import { startHubSpotSandbox } from '../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox } from '../src/sandbox/salesforce/index.js';
import { backfill } from '../src/worker/backfill/run-backfill.js';
import { mirrorAllDeals } from '../src/worker/outcomes/deal-mirror.js';
import { round, table, type Figures } from './lib/report.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOSS = ['Price', 'Competitor', 'No Budget', 'No Decision', 'Timing'];

export async function run(args: string[]): Promise<Figures> {
  const n = arg(args, '--opportunities', 10_000);
  const latency = arg(args, '--latency', 0);
  const accounts = Math.ceil(n / 2);
  const redis = await ensureRedis();
  const root = `bench-outcomes-${Date.now().toString(36)}`;
  const hubspot = await startHubSpotSandbox({ rateLimits: { enabled: false }, webhooks: { batchWindowMs: 50 } });
  const salesforce = await startSalesforceSandbox({ dailyApiLimit: 100_000_000 });
  const stack = await startLocalStack({
    redisUrl: redis.url,
    root,
    ...sandboxEndpoints(hubspot, salesforce),
    mappingsDir: join(import.meta.dirname, '..', 'mappings'),
    windowMs: 1000,
    limits: { hubspotTenSecond: 1_000_000 },
  });
  try {
    // The team's world: accounts with three people each, two roles per opportunity.
    process.stderr.write(`setting up ${n.toLocaleString('en-US')} opportunities on ${accounts.toLocaleString('en-US')} accounts...\n`);
    const quiet = { emitChanges: false };
    const ids = (results: ReadonlyArray<{ id: string | null }>) => results.map((r) => r.id as string);
    const accountIds = ids(salesforce.store.insertMany('Account', Array.from({ length: accounts }, (_, a) => ({ Name: `Account ${a}` })), quiet));
    const contactIds = ids(
      salesforce.store.insertMany(
        'Contact',
        Array.from({ length: accounts * 3 }, (_, c) => ({ LastName: `Person ${c}`, Email: `p${c}@account${Math.floor(c / 3)}.example`, AccountId: accountIds[Math.floor(c / 3)] ?? null })),
        quiet,
      ),
    );
    const opportunityIds = ids(
      salesforce.store.insertMany(
        'Opportunity',
        Array.from({ length: n }, (_, o) => ({ Name: `Opportunity ${o}`, AccountId: accountIds[o % accounts] ?? null, StageName: 'Negotiation/Review', CloseDate: '2026-12-15', Amount: 1000 + (o % 50) * 500 })),
        quiet,
      ),
    );
    // Opportunity o (on account a = o mod A, the account's k-th) has the roles of people 3a+k and 3a+(k+1) mod 3.
    const rolesOf = (o: number): [string, string] => {
      const a = o % accounts;
      const k = Math.floor(o / accounts);
      return [contactIds[3 * a + (k % 3)] as string, contactIds[3 * a + ((k + 1) % 3)] as string];
    };
    salesforce.store.insertMany(
      'OpportunityContactRole',
      opportunityIds.flatMap((id, o) => rolesOf(o).map((c, r) => ({ OpportunityId: id, ContactId: c, IsPrimary: r === 0 }))),
      quiet,
    );
    const setupStarted = performance.now();
    await backfill(stack.ctx, { pair: 'contacts' });
    await backfill(stack.ctx, { pair: 'companies' });
    await mirrorAllDeals(stack.ctx);
    process.stderr.write(`linked and mirrored in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s\n`);
    hubspot.faults.configure({ latencyMs: latency });
    salesforce.faults.configure({ latencyMs: latency });
    await sleep(1500);

    // What each person should show once everything closed.
    const expected = new Map<string, { won: number; count: number }>();
    const outcomes = opportunityIds.map((id, o) => ({ id, won: o % 5 < 3, amount: 1000 + (o % 50) * 500, roles: rolesOf(o) }));
    for (const o of outcomes) {
      for (const c of o.roles) {
        const e = expected.get(c) ?? { won: 0, count: 0 };
        e.count += 1;
        if (o.won) e.won += o.amount;
        expected.set(c, e);
      }
    }
    const hubspotOf = await stack.ctx.links.bySalesforce('contacts', [...expected.keys()]);
    const done = () => {
      let ok = 0;
      for (const [contact, e] of expected) {
        const id = hubspotOf.get(contact);
        const props = id ? hubspot.store.get('contacts', id, { properties: ['revloop_won_revenue', 'revloop_open_pipeline_amount', 'revloop_opportunity_count'] })?.properties : undefined;
        if (props && props.revloop_won_revenue === (e.won > 0 ? String(e.won) : '0') && props.revloop_open_pipeline_amount === '0' && props.revloop_opportunity_count === String(e.count)) ok += 1;
      }
      return ok;
    };

    const hsBefore = hubspot.counter.total;
    const sfBefore = salesforce.counter.total;
    const hsUpdatesBefore = hubspot.counter.count((r) => r.startsWith('POST') && /batch\/(update|upsert)/.test(r));
    const started = performance.now();
    for (const o of outcomes) salesforce.store.update('Opportunity', o.id, o.won ? { StageName: 'Closed Won' } : { StageName: 'Closed Lost', Loss_Reason__c: LOSS[o.amount % LOSS.length] }, { origin: 'ui' });
    const deadline = performance.now() + 600_000;
    let correct = 0;
    while (performance.now() < deadline) {
      correct = done();
      if (correct === expected.size) break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(2500); // late work still counts against the calls
    const callsHubspot = hubspot.counter.total - hsBefore;
    const callsSalesforce = salesforce.counter.total - sfBefore;
    const writes = hubspot.counter.count((r) => r.startsWith('POST') && /batch\/(update|upsert)/.test(r)) - hsUpdatesBefore;
    for (const c of salesforce.counter.snapshot().slice(0, 6)) process.stderr.write(`salesforce ${c.route}: ${c.count}\n`);
    for (const c of hubspot.counter.snapshot().slice(0, 6)) process.stderr.write(`hubspot ${c.route}: ${c.count}\n`);
    const contactsUpdated = expected.size;
    const minCallsHubspot = Math.ceil(contactsUpdated / 100) + Math.ceil(n / 100);
    const figures: Figures = {
      opportunities: n,
      contacts_updated: contactsUpdated,
      calls_hubspot: callsHubspot,
      min_calls_hubspot: minCallsHubspot,
      seconds: round(seconds, 1),
      calls_ratio: round(callsHubspot / minCallsHubspot, 2),
      hubspot_write_calls: writes,
      calls_salesforce: callsSalesforce,
      correct_contacts: correct,
      latency_ms: latency,
    };
    process.stdout.write(
      `${table([
        { figure: 'opportunities closed at once', value: n, target: '' },
        { figure: 'contacts whose roll-ups changed', value: contactsUpdated, target: '' },
        { figure: 'contacts right at the end', value: correct, target: `${contactsUpdated}` },
        { figure: 'seconds until every contact was right', value: round(seconds, 1), target: '' },
        { figure: 'HubSpot calls', value: callsHubspot, target: '' },
        { figure: 'of which batch writes', value: writes, target: '' },
        { figure: 'minimum HubSpot calls (contacts + deals, 100 a call)', value: minCallsHubspot, target: '' },
        { figure: 'HubSpot calls / minimum', value: round(callsHubspot / minCallsHubspot, 2), target: '<= 2.5' },
        { figure: 'Salesforce calls', value: callsSalesforce, target: '' },
      ])}\n`,
    );
    return figures;
  } finally {
    await stack.stop();
    await Promise.allSettled([hubspot.close(), salesforce.close()]);
    const r = createRedis(redis.url);
    await deleteByPrefix(r, `${root}:`);
    r.disconnect();
    await redis.stop();
  }
}
