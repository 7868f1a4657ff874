/**
 * Simulated marketing and sales activity for the sandboxes: at a given rate it makes the changes real users make, each
 * through the stores (so HubSpot webhooks and Salesforce change events go out exactly as for people): forms and
 * engagement in HubSpot, reps accepting, qualifying, converting, recycling and disqualifying leads, AEs moving and
 * closing opportunities, new people on both sides. `step()` makes one change (deterministic for a seed and a state),
 * for tests; `start()`/`stop()` run it on a timer.
 *
 *   const driver = new ActivityDriver({ hubspot: hs.store, salesforce: sf.store, seed: 7, rate: 5 });
 *   driver.start();  ...  driver.stop();
 */
import type { HubSpotStore } from '../hubspot/store/hubspot-store.js';
import { buildNamePools } from '../generator/name-pools.js';
import { Rng, WeightedTable } from '../generator/rng.js';
import type { SalesforceStore } from '../salesforce/store/salesforce-store.js';
import type { ActionContext } from './action-context.js';
import { ACTIVITY_KINDS, DEFAULT_WEIGHTS, type ActionResult, type ActivityEvent, type ActivityKind } from './activity-kinds.js';
import { marketingEngagement, newMarketingPerson } from './marketing-actions.js';
import { advanceOpportunity, closeOpportunity } from './opportunity-actions.js';
import { activityOptionsSchema, type ActivityOptionsInput } from './options.js';
import { acceptMql, convert, disqualify, newSalesLead, qualify, recycle } from './sales-actions.js';
import { World } from './world.js';

const ACTIONS: Readonly<Record<ActivityKind, (ctx: ActionContext) => ActionResult | null>> = {
  'new-marketing-person': newMarketingPerson,
  'marketing-engagement': marketingEngagement,
  'new-sales-lead': newSalesLead,
  'accept-mql': acceptMql,
  qualify,
  convert,
  recycle,
  disqualify,
  'advance-opportunity': advanceOpportunity,
  'close-opportunity': closeOpportunity,
};

/** Most steps a timer tick makes (a slow tick drops the backlog rather than bursting). */
const MAX_PER_TICK = 200;

export interface ActivityStats {
  running: boolean;
  rate: number;
  steps: number;
  byKind: Record<ActivityKind, number>;
  /** Steps that found nothing to do. */
  skipped: number;
  errors: number;
  lastError: string | null;
  /** Leads by status and open opportunities the driver can act on. */
  pools: { mql: number; open: number; working: number; qualified: number; openOpportunities: number };
}

export interface ActivityDriverOptions extends ActivityOptionsInput {
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
}

export class ActivityDriver {
  readonly rate: number;
  private readonly ctx: ActionContext;
  private readonly world: World;
  private readonly table: WeightedTable<ActivityKind>;
  private readonly keepEvents: number;
  private readonly events: ActivityEvent[] = [];
  private readonly byKind = Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, 0])) as Record<ActivityKind, number>;
  private steps = 0;
  private skipped = 0;
  private errors = 0;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private due = 0;
  private counter = 0;

  constructor(options: ActivityDriverOptions) {
    const { hubspot, salesforce, ...plain } = options;
    const settings = activityOptionsSchema.parse(plain);
    this.rate = settings.rate;
    this.keepEvents = settings.keepEvents;
    this.table = new WeightedTable({ ...DEFAULT_WEIGHTS, ...settings.weights });
    this.world = new World(hubspot, salesforce);
    this.ctx = {
      rng: new Rng(settings.seed).fork('activity'),
      world: this.world,
      hubspot,
      salesforce,
      pools: buildNamePools(settings.seed),
      next: () => (this.counter += 1),
    };
  }

  /**
   * Makes one change: of the given kind, or of a kind drawn by weight (falling back to the other kinds, in order,
   * when the drawn one has nothing to act on). Returns what it did, or null when nothing could be done.
   */
  step(kind?: ActivityKind): ActivityEvent | null {
    const first = kind ?? this.ctx.rng.weighted(this.table);
    const order = kind !== undefined ? [kind] : [first, ...ACTIVITY_KINDS.filter((k) => k !== first)];
    for (const candidate of order) {
      let result: ActionResult | null;
      try {
        result = ACTIONS[candidate](this.ctx);
      } catch (err) {
        this.errors += 1;
        this.lastError = `${candidate}: ${err instanceof Error ? err.message : String(err)}`;
        return null;
      }
      if (result === null) continue;
      this.steps += 1;
      this.byKind[candidate] += 1;
      const event: ActivityEvent = { step: this.steps, kind: candidate, at: this.ctx.salesforce.now(), ...result };
      if (this.keepEvents > 0) {
        this.events.push(event);
        if (this.events.length > this.keepEvents) this.events.shift();
      }
      return event;
    }
    this.skipped += 1;
    return null;
  }

  /** Starts making `rate` changes per second (on an unref'd timer: it never keeps a process alive by itself). */
  start(): void {
    if (this.timer !== undefined) return;
    this.startedAt = performance.now();
    this.due = 0;
    const tickMs = Math.max(20, Math.min(1000, 1000 / this.rate));
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  private tick(): void {
    const target = Math.floor(((performance.now() - this.startedAt) / 1000) * this.rate);
    const todo = Math.min(MAX_PER_TICK, target - this.due);
    for (let i = 0; i < todo; i++) this.step();
    this.due = target;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops and stops following the Salesforce change feed. */
  close(): void {
    this.stop();
    this.world.close();
  }

  /** The most recent changes, oldest first. */
  recent(): ActivityEvent[] {
    return [...this.events];
  }

  stats(): ActivityStats {
    return {
      running: this.timer !== undefined,
      rate: this.rate,
      steps: this.steps,
      byKind: { ...this.byKind },
      skipped: this.skipped,
      errors: this.errors,
      lastError: this.lastError,
      pools: { mql: this.world.mql.size, open: this.world.open.size, working: this.world.working.size, qualified: this.world.qualified.size, openOpportunities: this.world.openOpportunities.size },
    };
  }
}
