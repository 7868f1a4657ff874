/**
 * Installing a connection, one side at a time (OAuth callbacks, or server-to-server credentials): the
 * first side waits in a draft; when both are there the connection is stored, its HubSpot properties
 * are created, its Salesforce fields checked, and its standing jobs (change listener, sweep, SLA)
 * started. Reinstalling one side of an existing connection replaces that side's credentials only.
 * A HubSpot portal or Salesforce org belongs to one connection: installing it into a second one is
 * refused, so webhooks and change events can never be routed to the wrong connection.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RevloopError } from '../../platform/errors.js';
import { deploymentKey } from '../../platform/redis.js';
import type { ConnectionSecrets } from '../../state/connection-store.js';
import type { HubSpotSide, InstallDrafts, SalesforceSide } from '../../state/install-sessions.js';
import { ensureConnectionJobs } from '../../worker/connection-jobs.js';
import { ensureHubSpotSchema, type SchemaReport } from '../../worker/setup/hubspot-schema.js';
import { picklistsFor } from '../../worker/setup/salesforce-picklists.js';
import type { AdminDeps } from '../admin-deps.js';
import { checkSalesforceFields, type SalesforceFieldReport } from './salesforce-fields.js';

export const CONNECTION_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

export interface InstallReport {
  connectionId: string;
  complete: boolean;
  /** The side still to install (a draft). */
  waitingFor?: 'hubspot' | 'salesforce';
  hubspotSchema?: SchemaReport;
  salesforceFields?: SalesforceFieldReport;
  /** A check that could not run, with why. */
  problem?: string;
  at: number;
}

const reportSchema = z.object({
  connectionId: z.string(),
  complete: z.boolean(),
  waitingFor: z.enum(['hubspot', 'salesforce']).optional(),
  hubspotSchema: z.object({ created: z.record(z.string(), z.array(z.string())), existing: z.number() }).optional(),
  salesforceFields: z.object({ ok: z.boolean(), checked: z.record(z.string(), z.number()), problems: z.array(z.object({ object: z.string(), field: z.string(), problem: z.enum(['missing', 'not-writable', 'not-external-id', 'not-unique']), why: z.string(), fix: z.string() })) }).optional(),
  problem: z.string().optional(),
  at: z.number(),
});

export interface InstallerDeps extends AdminDeps {
  drafts: InstallDrafts;
  sweepEveryMs: number;
  /** Told after a connection is stored or changed (the webhook receiver drops its cache). */
  onChanged?: (connectionId: string) => void;
}

type Side = { kind: 'hubspot'; where: HubSpotSide; auth: ConnectionSecrets['hubspot'] } | { kind: 'salesforce'; where: SalesforceSide; auth: ConnectionSecrets['salesforce'] };

export class Installer {
  constructor(private readonly deps: InstallerDeps) {}

  private reportKey(id: string): string {
    return deploymentKey(this.deps.root, 'install-report', id);
  }

  get drafts(): InstallDrafts {
    return this.deps.drafts;
  }

  private get redis(): Redis {
    return this.deps.redis;
  }

  async report(id: string): Promise<InstallReport | undefined> {
    const raw = await this.redis.get(this.reportKey(id));
    if (!raw) return undefined;
    const parsed = reportSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  private async claimCheck(id: string, side: Side): Promise<void> {
    for (const other of await this.deps.connections.list()) {
      if (other.id === id) continue;
      if (side.kind === 'hubspot' && other.hubspot.portalId === side.where.portalId) {
        throw new RevloopError('CONFLICT', `HubSpot portal ${side.where.portalId} is already connected as connection "${other.id}"; a portal belongs to one connection`);
      }
      if (side.kind === 'salesforce' && side.where.orgId && other.salesforce.orgId === side.where.orgId) {
        throw new RevloopError('CONFLICT', `Salesforce org ${side.where.orgId} is already connected as connection "${other.id}"; an org belongs to one connection`);
      }
    }
  }

  /** Records one side of connection `id`; completes the install when the other side is there. */
  async sideInstalled(id: string, label: string, side: Side): Promise<InstallReport> {
    if (!CONNECTION_ID.test(id)) throw new RevloopError('BAD_REQUEST', `connection id "${id}" may only contain letters, digits and _ . @ - (at most 64)`);
    await this.claimCheck(id, side);
    const existing = await this.deps.connections.get(id);
    if (existing) {
      const { connection, secrets } = existing;
      const next =
        side.kind === 'hubspot'
          ? { connection: { ...connection, hubspot: { ...side.where } }, secrets: { ...secrets, hubspot: side.auth } }
          : { connection: { ...connection, salesforce: { ...side.where } }, secrets: { ...secrets, salesforce: side.auth } };
      await this.deps.connections.put({ ...next.connection, ...(label ? { label } : {}) }, next.secrets);
      return this.afterStore(id);
    }
    const draft = (await this.deps.drafts.get(id)) ?? { id, label };
    const merged = side.kind === 'hubspot' ? { ...draft, hubspot: { where: side.where, auth: side.auth } } : { ...draft, salesforce: { where: side.where, auth: side.auth } };
    if (label) merged.label = label;
    if (!merged.hubspot || !merged.salesforce) {
      await this.deps.drafts.put(merged);
      const report: InstallReport = { connectionId: id, complete: false, waitingFor: merged.hubspot ? 'salesforce' : 'hubspot', at: Date.now() };
      await this.redis.set(this.reportKey(id), JSON.stringify(report));
      return report;
    }
    await this.deps.connections.put(
      { id, label: merged.label, hubspot: merged.hubspot.where, salesforce: merged.salesforce.where },
      { hubspot: merged.hubspot.auth, salesforce: merged.salesforce.auth },
    );
    await this.deps.drafts.remove(id);
    return this.afterStore(id);
  }

  /** Creates the HubSpot properties, checks the Salesforce fields and starts the connection's standing jobs. */
  async afterStore(id: string): Promise<InstallReport> {
    this.deps.registry.invalidate?.(id);
    this.deps.onChanged?.(id);
    const report: InstallReport = { connectionId: id, complete: true, at: Date.now() };
    try {
      const ctx = await this.deps.registry.get(id);
      report.hubspotSchema = await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings, (missing) => picklistsFor(ctx.salesforceApi, ctx.mappings, missing));
      report.salesforceFields = await checkSalesforceFields(ctx.salesforceApi, ctx.mappings);
    } catch (err) {
      report.problem = err instanceof Error ? err.message : String(err);
      this.deps.logger.warn({ connection: id, err }, 'install checks could not run');
    }
    await ensureConnectionJobs([id], { listenQueue: this.deps.queues.listen, syncQueue: this.deps.queues.sync, sweepEveryMs: this.deps.sweepEveryMs });
    await this.redis.set(this.reportKey(id), JSON.stringify(report));
    this.deps.logger.info({ connection: id, created: report.hubspotSchema?.created, salesforceProblems: report.salesforceFields?.problems.length }, 'connection installed');
    return report;
  }
}
