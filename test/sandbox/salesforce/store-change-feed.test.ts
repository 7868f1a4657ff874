/** The change feed contract that Change Data Capture builds on. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceChange } from '../../../src/sandbox/salesforce/change-feed.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';

describe('SalesforceStore change feed', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let store: SalesforceStore;
  let changes: SalesforceChange[];

  beforeEach(() => {
    store = new SalesforceStore({ now: () => clock.now });
    changes = [];
    store.onChange((c) => changes.push(c));
  });

  it('publishes a CREATE with every non-null field, synchronously after the commit', () => {
    const id = store.insert('Lead', { LastName: 'Ng', Company: 'Acme', Email: 'ng@acme.test' });
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      entityName: 'Lead',
      changeType: 'CREATE',
      recordIds: [id],
      commitTimestamp: clock.now,
      sequenceNumber: 1,
      changeOrigin: 'com/salesforce/api/rest/62.0',
      commitUser: store.integrationUserId,
    });
    expect(change?.fields).toMatchObject({ LastName: 'Ng', Company: 'Acme', Email: 'ng@acme.test', Status: 'Open - Not Contacted' });
    expect(change?.changedFields).toEqual(Object.keys(change?.fields ?? {}));
    expect(change?.fields).not.toHaveProperty('Title');
    expect(change?.fields).not.toHaveProperty('Name');
  });

  it('publishes only the fields an UPDATE changed, plus LastModifiedDate', () => {
    const id = store.insert('Lead', { LastName: 'Ng', Company: 'Acme', Title: 'VP' });
    clock.now += 60_000;
    store.update('Lead', id, { Title: 'VP', Status: 'Working - Contacted' }, { userId: store.adminUserId, origin: 'ui' });
    const update = changes[1];
    expect(update?.changeType).toBe('UPDATE');
    expect(update?.changedFields).toEqual(['Status', 'LastModifiedDate', 'LastModifiedById']);
    expect(update?.fields).toEqual({
      Status: 'Working - Contacted',
      LastModifiedDate: '2026-03-02T09:01:00.000+0000',
      LastModifiedById: store.adminUserId,
    });
    expect(update?.changeOrigin).toBe('');
    expect(update?.commitUser).toBe(store.adminUserId);
    expect(update?.commitNumber).toBeGreaterThan(changes[0]?.commitNumber ?? Infinity);
  });

  it('names the API and the Sforce-Call-Options client in changeOrigin', () => {
    store.insert('Account', { Name: 'A' }, { api: 'soap', apiVersion: '61.0', client: 'revloop/1.0' });
    store.insert('Account', { Name: 'B' }, { api: 'bulkapi', client: 'loader' });
    store.insert('Account', { Name: 'C' }, { origin: 'apex' });
    expect(changes.map((c) => c.changeOrigin)).toEqual([
      'com/salesforce/api/soap/61.0;client=revloop/1.0',
      'com/salesforce/api/bulkapi/62.0;client=loader',
      'com/salesforce/api/apex/62.0',
    ]);
  });

  it('gives every change of one lead conversion the same transactionKey, in Salesforce order', () => {
    const lead = store.insert('Lead', { LastName: 'Ng', Company: 'Acme', Revloop_Stage__c: 'sql' });
    changes.length = 0;
    const result = store.convertLead({ leadId: lead, convertedStatus: 'Closed - Converted' });
    expect(result.success).toBe(true);
    expect(changes.map((c) => [c.entityName, c.changeType])).toEqual([
      ['Account', 'CREATE'],
      ['Contact', 'CREATE'],
      ['Opportunity', 'CREATE'],
      ['OpportunityContactRole', 'CREATE'],
      ['Lead', 'UPDATE'],
    ]);
    expect(new Set(changes.map((c) => c.transactionKey)).size).toBe(1);
    expect(new Set(changes.map((c) => c.commitNumber)).size).toBe(1);
    expect(changes.map((c) => c.sequenceNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(changes[1]?.fields).toMatchObject({ LastName: 'Ng', Revloop_Stage__c: 'sql', AccountId: result.accountId });
    expect(changes[4]?.fields).toMatchObject({
      IsConverted: true,
      ConvertedDate: '2026-03-02',
      ConvertedAccountId: result.accountId,
      ConvertedContactId: result.contactId,
      ConvertedOpportunityId: result.opportunityId,
      Status: 'Closed - Converted',
    });
  });

  it('publishes DELETE and UNDELETE, and nothing for a rolled-back or silent write', () => {
    const id = store.insert('Account', { Name: 'A' });
    store.delete(id);
    store.undelete(id);
    expect(changes.map((c) => c.changeType)).toEqual(['CREATE', 'DELETE', 'UNDELETE']);
    expect(changes[1]).toMatchObject({ changedFields: [], fields: {} });
    changes.length = 0;
    store.insertMany('Lead', [{ LastName: 'a', Company: 'c' }, { LastName: 'b' }], {}, { allOrNone: true });
    store.insert('Lead', { LastName: 'q', Company: 'c' }, { emitChanges: false });
    expect(changes).toEqual([]);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const seen: string[] = [];
    const off = store.onChange((c) => seen.push(c.changeType));
    store.insert('Account', { Name: 'A' });
    off();
    store.insert('Account', { Name: 'B' });
    expect(seen).toEqual(['CREATE']);
  });
});
