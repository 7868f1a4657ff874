/** Links are stored in both directions; linking a record again replaces its earlier link on both sides. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/platform/redis.js';
import { LinkStore } from '../../../src/state/link-store.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let ctx: RedisTestContext;
let links: LinkStore;

beforeEach(async () => {
  ctx = await useRedis('links');
  links = new LinkStore(ctx.redis, new Keyspace('c', ctx.root));
});

afterEach(async () => {
  await ctx.cleanup();
});

const lead = (id: string) => ({ object: 'Lead', id });
const contact = (id: string) => ({ object: 'Contact', id });

describe('links', () => {
  it('stores a batch of links both ways', async () => {
    await links.link('contacts', [
      { hubspotId: '1', salesforce: lead('00Q1') },
      { hubspotId: '2', salesforce: contact('0031') },
    ]);
    expect(await links.byHubSpot('contacts', ['1', '2', '3'])).toEqual(new Map([['1', lead('00Q1')], ['2', contact('0031')]]));
    expect(await links.bySalesforce('contacts', ['00Q1', '0031', '00Q9'])).toEqual(new Map([['00Q1', '1'], ['0031', '2']]));
    expect(await links.count('contacts')).toBe(2);
  });

  it('drops the earlier link of either record when it is linked again (a converted Lead, a merge)', async () => {
    await links.link('contacts', [
      { hubspotId: '1', salesforce: lead('00Q1') },
      { hubspotId: '2', salesforce: lead('00Q2') },
    ]);
    // Person 1's Lead became a Contact; Lead 00Q2 now belongs to person 3 (person 2 merged away).
    await links.link('contacts', [
      { hubspotId: '1', salesforce: contact('0031') },
      { hubspotId: '3', salesforce: lead('00Q2') },
    ]);
    expect(await links.bySalesforce('contacts', ['00Q1', '0031', '00Q2'])).toEqual(new Map([['0031', '1'], ['00Q2', '3']]));
    expect(await links.byHubSpot('contacts', ['1', '2', '3'])).toEqual(new Map([['1', contact('0031')], ['3', lead('00Q2')]]));
  });

  it("keeps a record's new link when its earlier partner is relinked in the same batch", async () => {
    await links.link('contacts', [{ hubspotId: '1', salesforce: lead('00Q1') }]);
    // Person 1 moves to Contact 0031 and Lead 00Q1 goes to person 2, in one batch, in either order.
    await links.link('contacts', [
      { hubspotId: '2', salesforce: lead('00Q1') },
      { hubspotId: '1', salesforce: contact('0031') },
    ]);
    expect(await links.bySalesforce('contacts', ['00Q1', '0031'])).toEqual(new Map([['00Q1', '2'], ['0031', '1']]));
    expect(await links.byHubSpot('contacts', ['1', '2'])).toEqual(new Map([['1', contact('0031')], ['2', lead('00Q1')]]));
  });
});
