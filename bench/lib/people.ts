/**
 * The people of the scale and chaos runs: a deterministic function of an index, so the harness knows
 * every person's starting values without holding a copy, and the expected final state is those
 * values plus the live changes it made. People present on both sides start with equal values, so the
 * expected state never depends on which side's creation time is later.
 */

/** The person fields compared after a run: HubSpot property ↔ Lead field and Contact field (all `two-way` in the shipped mapping). */
export const COMPARED_FIELDS = [
  { hubspot: 'firstname', salesforce: 'FirstName', contact: 'FirstName' },
  { hubspot: 'lastname', salesforce: 'LastName', contact: 'LastName' },
  { hubspot: 'jobtitle', salesforce: 'Title', contact: 'Title' },
  { hubspot: 'city', salesforce: 'City', contact: 'MailingCity' },
] as const;

export type ComparedField = (typeof COMPARED_FIELDS)[number]['hubspot'];

export interface PersonValues {
  email: string;
  firstname: string;
  lastname: string;
  jobtitle: string;
  city: string;
  company: string;
}

export interface PeopleSplit {
  hubspotOnly: number;
  salesforceOnly: number;
  both: number;
}

/** 40 % only in HubSpot, 40 % only in Salesforce, 20 % in both (as the backfill benchmark splits them). */
export function splitPeople(people: number): PeopleSplit {
  const both = Math.round(people * 0.2);
  const hubspotOnly = Math.round(people * 0.4);
  return { hubspotOnly, salesforceOnly: people - both - hubspotOnly, both };
}

/** Index ranges: [0, hubspotOnly) HubSpot only, then `both`, then Salesforce only. */
export function sideOf(split: PeopleSplit, index: number): 'hubspot' | 'both' | 'salesforce' {
  if (index < split.hubspotOnly) return 'hubspot';
  return index < split.hubspotOnly + split.both ? 'both' : 'salesforce';
}

export function emailOf(index: number): string {
  return `p${index}@d${index % 997}.example`;
}

export function indexOfEmail(email: string): number | undefined {
  const m = /^p(\d+)@d\d+\.example$/.exec(email.trim().toLowerCase());
  return m ? Number(m[1]) : undefined;
}

export function personValues(index: number): PersonValues {
  return {
    email: emailOf(index),
    firstname: `F${index}`,
    lastname: `L${index}`,
    jobtitle: `Title ${index % 50}`,
    city: `City ${index % 300}`,
    company: `Company ${index % 997}`,
  };
}

/**
 * Invalid people: HubSpot-only people whose title is longer than Salesforce's 128 characters (or,
 * every other one, whose city is longer than its 40), so Salesforce refuses to create them.
 * `rate` of all people, spread evenly over the HubSpot-only range.
 */
export function invalidIndexes(split: PeopleSplit, rate: number): number[] {
  const total = split.hubspotOnly + split.both + split.salesforceOnly;
  const count = Math.min(split.hubspotOnly, Math.round(total * rate));
  if (count === 0) return [];
  const step = split.hubspotOnly / count;
  return Array.from({ length: count }, (_, k) => Math.floor(k * step));
}

export function invalidValues(index: number, k: number): Partial<PersonValues> {
  return k % 2 === 0 ? { jobtitle: `Over-long title ${index} `.padEnd(200, 'x') } : { city: `Over-long city ${index} `.padEnd(60, 'y') };
}
