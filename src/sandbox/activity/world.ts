/**
 * What the activity driver knows about the two systems, kept current as they change: Leads by status (open MQLs apart
 * from other open leads), open opportunities, Accounts by website, and the team. Built by one scan of the stores at
 * start, then from the Salesforce change feed and HubSpot's events, so changes made by anyone (revloop included) move
 * records between the pools. A lead is an MQL when revloop stamped its MQL date, or when its HubSpot contact (same
 * email) is at MQL or later: what an SDR checks before calling.
 */
import type { HubSpotStore } from '../hubspot/store/hubspot-store.js';
import type { SalesforceChange } from '../salesforce/change-feed.js';
import type { SalesforceStore } from '../salesforce/store/salesforce-store.js';
import { ROW_LIVE } from '../salesforce/storage/object-table.js';
import { LEAD_STATUS } from '../generator/vocabulary.js';
import { IdPool } from './id-pool.js';

export interface Rep {
  email: string;
  salesforceUserId: string;
  hubspotOwnerId: string | null;
  hubspotUserId: number | null;
}

export interface Reps {
  sdrs: Rep[];
  aes: Rep[];
}

const MQL_STAGES: ReadonlySet<string> = new Set(['marketingqualifiedlead', 'salesqualifiedlead']);

export class World {
  /** Open leads that are MQLs, waiting for an SDR. */
  readonly mql = new IdPool();
  /** Other open leads (not MQLs). */
  readonly open = new IdPool();
  readonly working = new IdPool();
  readonly qualified = new IdPool();
  readonly openOpportunities = new IdPool();
  readonly accountsByWebsite = new Map<string, string>();
  readonly reps: Reps;
  private readonly stopListening: Array<() => void>;

  constructor(
    readonly hubspot: HubSpotStore,
    readonly salesforce: SalesforceStore,
  ) {
    this.reps = findReps(hubspot, salesforce);
    const leads = salesforce.table('Lead');
    for (let row = 0; row < leads.rowCount; row++) {
      if (leads.stateOf(row) !== ROW_LIVE || leads.getRaw(row, 'IsConverted') === true) continue;
      this.place(leads.idOf(row), String(leads.getRaw(row, 'Status')), leads.getRaw(row, 'Revloop_MQL_Date__c') !== null, leads.getRaw(row, 'Email'));
    }
    const opportunities = salesforce.table('Opportunity');
    for (let row = 0; row < opportunities.rowCount; row++) {
      if (opportunities.stateOf(row) === ROW_LIVE && opportunities.getRaw(row, 'IsClosed') !== true) this.openOpportunities.add(opportunities.idOf(row));
    }
    const accounts = salesforce.table('Account');
    for (let row = 0; row < accounts.rowCount; row++) {
      const website = accounts.getRaw(row, 'Website');
      if (accounts.stateOf(row) === ROW_LIVE && typeof website === 'string') this.accountsByWebsite.set(website.toLowerCase(), accounts.idOf(row));
    }
    this.stopListening = [
      salesforce.onChange((change) => this.follow(change)),
      hubspot.onEvent((event) => {
        if (event.kind === 'propertyChange' && event.propertyName === 'lifecyclestage' && MQL_STAGES.has(event.propertyValue)) this.promote(event.objectId);
      }),
    ];
  }

  /** Whether HubSpot has the person with this email at MQL or later. */
  private mqlInHubSpot(email: unknown): boolean {
    if (typeof email !== 'string' || email === '') return false;
    const row = this.hubspot.rowByProperty('contacts', 'email', email);
    return row !== undefined && MQL_STAGES.has(this.hubspot.table('contacts').get(row, 'lifecyclestage') ?? '');
  }

  /** Puts a live, unconverted lead into the pool of its status (and out of the others). */
  place(id: string, status: string | null, stamped = false, email: unknown = undefined): void {
    this.mql.remove(id);
    this.open.remove(id);
    this.working.remove(id);
    this.qualified.remove(id);
    if (status === LEAD_STATUS.open) (stamped || this.mqlInHubSpot(email) ? this.mql : this.open).add(id);
    else if (status === LEAD_STATUS.working) this.working.add(id);
    else if (status === LEAD_STATUS.qualified) this.qualified.add(id);
  }

  /** A HubSpot contact became an MQL: its open leads (same email) join the MQL pool. */
  private promote(contactId: string): void {
    const email = this.hubspot.get('contacts', contactId, { properties: ['email'] })?.properties.email;
    if (email == null) return;
    for (const leadId of this.salesforce.findByExternalId('Lead', 'Email', email)) {
      if (this.open.has(leadId)) {
        this.open.remove(leadId);
        this.mql.add(leadId);
      }
    }
  }

  private follow(change: SalesforceChange): void {
    const id = change.recordIds[0];
    if (id === undefined) return;
    const fields = change.fields;
    if (change.entityName === 'Lead') {
      if (change.changeType === 'DELETE' || fields.IsConverted === true) this.place(id, null);
      else if (typeof fields.Status === 'string' || fields.Revloop_MQL_Date__c != null) {
        const lead = this.salesforce.get('Lead', id, ['Status', 'Email', 'Revloop_MQL_Date__c']);
        this.place(id, typeof lead?.Status === 'string' ? lead.Status : null, lead?.Revloop_MQL_Date__c != null, lead?.Email);
      }
    } else if (change.entityName === 'Opportunity') {
      if (change.changeType === 'DELETE' || fields.IsClosed === true) this.openOpportunities.remove(id);
      else if (change.changeType === 'CREATE' || fields.IsClosed === false) this.openOpportunities.add(id);
    } else if (change.entityName === 'Account' && typeof fields.Website === 'string') {
      this.accountsByWebsite.set(fields.Website.toLowerCase(), id);
    }
  }

  close(): void {
    for (const stop of this.stopListening) stop();
  }
}

/** SDRs and AEs by their Salesforce title (the generator's team), with their HubSpot owners by email. */
function findReps(hubspot: HubSpotStore, salesforce: SalesforceStore): Reps {
  const users = salesforce.query('SELECT Id, Email, Title FROM User WHERE IsActive = true').records;
  const owners = hubspot.owners.list();
  const rep = (user: (typeof users)[number]): Rep => {
    const email = String(user.Email);
    const owner = owners.find((o) => o.email.toLowerCase() === email.toLowerCase());
    return { email, salesforceUserId: String(user.Id), hubspotOwnerId: owner?.id ?? null, hubspotUserId: owner?.userId ?? null };
  };
  const sdrs = users.filter((u) => String(u.Title ?? '').includes('Sales Development')).map(rep);
  const aes = users.filter((u) => String(u.Title ?? '').includes('Account Executive')).map(rep);
  const fallback = rep(users.find((u) => u.Id === salesforce.adminUserId) ?? users[0] ?? { Id: salesforce.adminUserId, Email: 'admin@revloop.sandbox' });
  return { sdrs: sdrs.length > 0 ? sdrs : [fallback], aes: aes.length > 0 ? aes : [fallback] };
}
