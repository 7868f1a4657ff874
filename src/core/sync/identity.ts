/**
 * Identity: which Salesforce record a HubSpot record is (and the reverse), and where a new person
 * goes. Pure: the caller looks the candidates up in batch and passes them in.
 *
 * Order of evidence: a stored link (Redis, or the id properties on the records), then the match
 * keys of the mapping in order (email: case-insensitive and trimmed; external id: the HubSpot id in
 * Salesforce's external-id field; domain and name for companies). Several candidates for one key
 * are resolved deterministically (Contact before Lead, the one already carrying this HubSpot id,
 * then the oldest) and reported, so a duplicate is never created and never silently merged.
 */
import type { MatchKey } from '../../config/mapping/schema/object-mapping.js';

export interface SalesforceCandidate {
  object: string;
  id: string;
  email?: string | null;
  externalId?: string | null;
  /** Company matching: Website / domain and Name of an Account. */
  domain?: string | null;
  name?: string | null;
  createdAt?: number;
  /** Converted Leads and deleted records never match. */
  converted?: boolean;
  /** The record's fields (Accounts: what Contacts read through `Account.`). */
  fields?: Readonly<Record<string, unknown>>;
}

export interface HubSpotSubject {
  id: string;
  email?: string | null;
  domain?: string | null;
  name?: string | null;
  /** Salesforce ids stored on the HubSpot record, by object. */
  linkedIds: Readonly<Record<string, string | null | undefined>>;
}

export type MatchResult =
  | { kind: 'linked'; object: string; id: string; via: 'link' | MatchKey; ambiguous?: string[] }
  | { kind: 'none' };

export function normaliseEmail(email: string | null | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  return e ? e : undefined;
}

/** "https://www.Acme.com/about" → "acme.com"; "ada@Sales.Acme.com" → "sales.acme.com". */
export function normaliseDomain(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  let s = input.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '');
  s = s.split(/[/?#:]/)[0] ?? '';
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(s) ? s : undefined;
}

export function normaliseName(input: string | null | undefined): string | undefined {
  const s = input
    ?.trim()
    .toLowerCase()
    .replace(/[.,]/g, '')
    .replace(/\s+(inc|llc|ltd|gmbh|corp|corporation|co|sa|ag|plc)$/, '')
    .replace(/\s+/g, ' ');
  return s ? s : undefined;
}

const OBJECT_PREFERENCE = ['Contact', 'Account', 'Lead'];

function rank(subject: HubSpotSubject, candidates: SalesforceCandidate[]): SalesforceCandidate[] {
  return [...candidates].sort((a, b) => {
    const carries = Number(b.externalId === subject.id) - Number(a.externalId === subject.id);
    if (carries !== 0) return carries;
    const obj = OBJECT_PREFERENCE.indexOf(a.object) - OBJECT_PREFERENCE.indexOf(b.object);
    if (obj !== 0) return obj;
    return (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.id.localeCompare(b.id);
  });
}

/** An index of candidates by every match key, built once per batch. */
export class CandidateIndex {
  private readonly byKey = new Map<string, SalesforceCandidate[]>();
  private readonly byId = new Map<string, SalesforceCandidate>();

  constructor(candidates: Iterable<SalesforceCandidate>) {
    for (const c of candidates) {
      if (c.converted) continue;
      this.byId.set(c.id, c);
      const add = (key: string | undefined) => {
        if (!key) return;
        const list = this.byKey.get(key) ?? [];
        list.push(c);
        this.byKey.set(key, list);
      };
      add(normaliseEmail(c.email) && `email:${normaliseEmail(c.email)}`);
      add(c.externalId ? `external_id:${c.externalId}` : undefined);
      add(normaliseDomain(c.domain) && `domain:${normaliseDomain(c.domain)}`);
      add(normaliseName(c.name) && `name:${normaliseName(c.name)}`);
    }
  }

  get(id: string): SalesforceCandidate | undefined {
    return this.byId.get(id);
  }


  lookup(key: MatchKey, subject: HubSpotSubject): SalesforceCandidate[] {
    switch (key) {
      case 'email': {
        const e = normaliseEmail(subject.email);
        return e ? (this.byKey.get(`email:${e}`) ?? []) : [];
      }
      case 'external_id':
        return this.byKey.get(`external_id:${subject.id}`) ?? [];
      case 'domain': {
        const d = normaliseDomain(subject.domain);
        return d ? (this.byKey.get(`domain:${d}`) ?? []) : [];
      }
      case 'name': {
        const n = normaliseName(subject.name);
        return n ? (this.byKey.get(`name:${n}`) ?? []) : [];
      }
    }
  }
}

/**
 * The Salesforce record a HubSpot record pairs with. `storedLink` is revloop's own link (Redis); the
 * ids on the HubSpot record are the durable copy that survives the loss of Redis.
 */
export function matchHubSpotRecord(
  subject: HubSpotSubject,
  index: CandidateIndex,
  matchKeys: readonly MatchKey[],
  storedLink?: { object: string; id: string },
): MatchResult {
  const linked = [storedLink, ...OBJECT_PREFERENCE.map((object) => ({ object, id: subject.linkedIds[object] ?? undefined }))];
  for (const link of linked) {
    if (!link?.id) continue;
    const found = index.get(link.id);
    if (found) return { kind: 'linked', object: found.object, id: found.id, via: 'link' };
  }
  // A Salesforce record carrying this HubSpot id in revloop's external-id field was created (or linked)
  // by revloop for it: looked for last even when the mapping's keys leave it out, so such a record is
  // found instead of refusing a second one (the field is unique) on every sync.
  const keys: readonly MatchKey[] = matchKeys.includes('external_id') ? matchKeys : [...matchKeys, 'external_id'];
  for (const key of keys) {
    const candidates = index.lookup(key, subject);
    if (candidates.length === 0) continue;
    const [best, ...others] = rank(subject, candidates) as [SalesforceCandidate, ...SalesforceCandidate[]];
    return others.length > 0
      ? { kind: 'linked', object: best.object, id: best.id, via: key, ambiguous: others.map((o) => `${o.object} ${o.id}`) }
      : { kind: 'linked', object: best.object, id: best.id, via: key };
  }
  return { kind: 'none' };
}

export type PersonRoute = { object: 'Contact'; accountId: string; account: SalesforceCandidate } | { object: 'Lead' };

/**
 * Where a new person from HubSpot goes: a Contact under the Account whose domain (or name) matches,
 * else a Lead.
 */
export function routeNewPerson(
  how: 'domain' | 'name' | 'never',
  subject: { email?: string | null; matchValue?: string | null; company?: string | null },
  accounts: CandidateIndex,
  otherwise: 'Lead' | 'Contact' = 'Lead',
): PersonRoute | { object: 'Contact'; accountId?: undefined } {
  if (how !== 'never') {
    const probe: HubSpotSubject =
      how === 'domain'
        ? { id: '', linkedIds: {}, domain: subject.matchValue ?? subject.email ?? null }
        : { id: '', linkedIds: {}, name: subject.matchValue ?? subject.company ?? null };
    const [account] = rank(probe, accounts.lookup(how, probe).filter((c) => c.object === 'Account'));
    if (account) return { object: 'Contact', accountId: account.id, account };
  }
  return otherwise === 'Contact' ? { object: 'Contact' } : { object: 'Lead' };
}

/** Salesforce ids in their order (ORDER BY Id): shorter first, then character by character. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
