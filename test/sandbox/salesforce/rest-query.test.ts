/** SOQL over REST with jsforce: pages of 2,000, queryMore through nextRecordsUrl, queryAll (scanAll), batch sizes. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

describe('REST query (jsforce)', () => {
  let sf: SalesforceSandbox;
  let conn: Connection;
  const TOTAL = 4_500;

  beforeAll(async () => {
    sf = await startSalesforceSandbox();
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
    const records = Array.from({ length: TOTAL }, (_, i) => ({ LastName: `L${String(i).padStart(5, '0')}`, Company: i % 2 === 0 ? 'Even' : 'Odd' }));
    sf.store.insertMany('Lead', records, { emitChanges: false });
    for (let i = 0; i < 10; i++) sf.store.delete(sf.store.query(`SELECT Id FROM Lead WHERE LastName = 'L${String(i).padStart(5, '0')}'`).records[0]?.Id as string);
  });
  afterAll(async () => {
    await sf.close();
  });

  it('pages 2,000 records at a time and reaches the end with queryMore', async () => {
    const first = (await conn.query('SELECT Id, LastName FROM Lead ORDER BY LastName')) as unknown as Page;
    expect(first.totalSize).toBe(TOTAL - 10);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce rebuilds the url from the locator (the last path segment); the raw answer is a relative url.
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-2000$/);
    const raw = await conn.request<Page>('/query?q=SELECT+Id+FROM+Lead');
    expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-2000$/);
    const seen = first.records.map((r) => r.LastName);
    let page = first;
    while (!page.done) {
      page = (await conn.queryMore(page.nextRecordsUrl as string)) as unknown as Page;
      seen.push(...page.records.map((r) => r.LastName));
    }
    expect(seen).toHaveLength(TOTAL - 10);
    expect(new Set(seen).size).toBe(TOTAL - 10);
    expect(seen[0]).toBe('L00010');
    expect(page.nextRecordsUrl).toBeUndefined();
  });

  it('includes the recycle bin with scanAll, and its next pages still go through /query/', async () => {
    const first = (await conn.query('SELECT Id, IsDeleted FROM Lead ORDER BY LastName', { scanAll: true })) as unknown as Page;
    expect(first.totalSize).toBe(TOTAL);
    expect(first.records.slice(0, 10).every((r) => r.IsDeleted === true)).toBe(true);
    let page = first;
    let count = first.records.length;
    while (!page.done) {
      expect(page.nextRecordsUrl).toContain('/query/');
      page = (await conn.queryMore(page.nextRecordsUrl as string)) as unknown as Page;
      count += page.records.length;
    }
    expect(count).toBe(TOTAL);
  });

  it('fetches everything with autoFetch (jsforce follows nextRecordsUrl itself)', async () => {
    const records: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query("SELECT Id FROM Lead WHERE Company = 'Even'")
        .on('record', (r) => records.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(records).toHaveLength(TOTAL / 2 - 5);
  });

  it('honours Sforce-Query-Options batchSize within 200..2000', async () => {
    const small = await conn.request<Page>({ method: 'GET', url: '/query?q=SELECT+Id+FROM+Lead', headers: { 'Sforce-Query-Options': 'batchSize=250' } });
    expect(small.records).toHaveLength(250);
    expect(small.nextRecordsUrl).toMatch(/-250$/);
    const tiny = await conn.request<Page>({ method: 'GET', url: '/query?q=SELECT+Id+FROM+Lead', headers: { 'Sforce-Query-Options': 'batchSize=5' } });
    expect(tiny.records).toHaveLength(200);
  });

  it('answers COUNT() with totalSize only, and errors in Salesforce shape', async () => {
    const count = await conn.query('SELECT COUNT() FROM Lead');
    expect(count).toEqual({ totalSize: TOTAL - 10, done: true, records: [] });
    await expect(conn.query('SELECT Id FROM Lead WHERE')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    await expect(conn.query('SELECT Idd FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(conn.query('SELECT Id FROM Leed')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.queryMore('/services/data/v62.0/query/01g000000000000AAA-2000')).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  });
});
