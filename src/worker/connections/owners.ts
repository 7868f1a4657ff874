/** HubSpot owners and Salesforce users paired by email, for the `owner` transform. */
import type { OwnerDirectory } from '../../core/sync/transforms.js';
import type { HubSpotApi } from '../../providers/hubspot/hubspot-api.js';
import type { SalesforceApi } from '../../providers/salesforce/salesforce-api.js';
import { SalesforceRecords } from '../../providers/salesforce/salesforce-records.js';
import { select, where } from '../../providers/salesforce/soql.js';

export async function loadOwnerDirectory(hubspot: HubSpotApi, salesforce: SalesforceApi): Promise<OwnerDirectory> {
  const hubspotByEmail = new Map<string, string>();
  let after: string | undefined;
  do {
    const page = await hubspot.call('owners.list', (c) => c.crm.owners.ownersApi.getPage(undefined, after, 500, false));
    for (const o of page.results) if (o.email) hubspotByEmail.set(o.email.toLowerCase(), o.id);
    after = page.paging?.next?.after;
  } while (after);
  const hubspotToSalesforce = new Map<string, string>();
  const salesforceToHubSpot = new Map<string, string>();
  const records = new SalesforceRecords(salesforce);
  for await (const page of records.query(select(['Id', 'Email'], 'User', { where: where.eq('IsActive', true) }))) {
    for (const u of page) {
      const hs = typeof u.Email === 'string' ? hubspotByEmail.get(u.Email.toLowerCase()) : undefined;
      if (!hs) continue;
      hubspotToSalesforce.set(hs, u.Id);
      salesforceToHubSpot.set(u.Id, hs);
    }
  }
  return { hubspotToSalesforce, salesforceToHubSpot };
}
