/**
 * Who a person is: name, email on the company's domain (or a free-mail one), title, phone, address, and how they
 * came in (found by marketing through a channel, or by a rep). Pure: the random stream decides everything.
 */
import { countryByName, countryTable, phoneNumber, type CompanyProfile, type Country } from './company-profile.js';
import { MODEL } from './model.js';
import type { NamePools, Place } from './name-pools.js';
import { WeightedTable, type Rng } from './rng.js';
import type { PersonKind } from './truth.js';
import { BUYER_DEPARTMENTS, DEPARTMENTS, FREE_MAIL_DOMAINS, type Level, type Source } from './vocabulary.js';

export interface PersonProfile {
  kind: PersonKind;
  firstName: string;
  lastName: string;
  email: string;
  salutation: string | null;
  title: string | null;
  /** A buying department at manager level or above. */
  fit: boolean;
  phone: string | null;
  mobile: string | null;
  country: Country | null;
  place: Place | null;
  street: string | null;
  /** The company a free-mail person typed into a form (null at companies: their company is the unit's). */
  companyText: string | null;
  /** Subscribed to the newsletter only: an email and maybe a first name, nothing else (HubSpot subscriber). */
  subscriber: boolean;
  source: Source;
  optOut: boolean;
  /** The contact's own `industry` text in HubSpot (often empty). */
  industryText: string | null;
}

const levelTable = new WeightedTable(MODEL.people.levels);
const sourceTable = new WeightedTable(MODEL.marketing.sources);
const companyKinds = new WeightedTable(MODEL.companyKinds);
const freeMailKinds = new WeightedTable(MODEL.freeMailKinds);
const SENIOR: ReadonlySet<Level> = new Set(['Chief', 'VP', 'Director', 'Head', 'Manager']);
const CHIEF_OF: Readonly<Record<string, string>> = {
  Marketing: 'Chief Marketing Officer', Sales: 'Chief Revenue Officer', 'Revenue Operations': 'Chief Revenue Officer', IT: 'Chief Information Officer',
  Operations: 'Chief Operating Officer', Finance: 'Chief Financial Officer', Engineering: 'Chief Technology Officer', 'Human Resources': 'Chief People Officer',
  'Customer Success': 'Chief Customer Officer',
};

export function jobTitle(level: Level, department: string): string {
  switch (level) {
    case 'Chief':
      return CHIEF_OF[department] ?? 'Chief Executive Officer';
    case 'VP':
      return `VP of ${department}`;
    case 'Director':
      return `Director of ${department}`;
    case 'Head':
      return `Head of ${department}`;
    case 'Manager':
      return `${department} Manager`;
    case 'Senior':
      return `Senior ${department} Specialist`;
    case 'Specialist':
      return `${department} Specialist`;
    case 'Coordinator':
      return `${department} Coordinator`;
    case 'Intern':
      return `${department} Intern`;
  }
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** The local part of a work email in one of the common patterns, unique within the company. */
function workLocal(rng: Rng, first: string, last: string, taken: Set<string>): string {
  const f = ascii(first);
  const l = ascii(last);
  const u = rng.float();
  const base = u < 0.55 ? `${f}.${l}` : u < 0.75 ? `${f.charAt(0)}${l}` : u < 0.85 ? `${f}_${l}` : u < 0.93 ? `${f}${l.charAt(0)}` : f;
  let local = base;
  for (let n = 2; taken.has(local); n++) local = `${base}${n}`;
  taken.add(local);
  return local;
}

function freeMailLocal(rng: Rng, first: string, last: string, taken: Set<string>, domain: string): string {
  const f = ascii(first);
  const l = ascii(last);
  const u = rng.float();
  const base = u < 0.5 ? `${f}.${l}` : u < 0.8 ? `${f}${l}` : `${f.charAt(0)}${l}`;
  let local = rng.chance(0.6) ? `${base}${rng.int(1, 99)}` : base;
  while (taken.has(`${local}@${domain}`)) local = `${base}${rng.int(100, 99_999)}`;
  taken.add(`${local}@${domain}`);
  return local;
}

export interface PersonContext {
  pools: NamePools;
  /** Local parts already used at the company (work emails). */
  companyLocals?: Set<string>;
  /** Free-mail addresses already used in the dataset. */
  freeMailTaken: Set<string>;
}

export function drawPerson(rng: Rng, company: CompanyProfile | null, context: PersonContext): PersonProfile {
  const { pools } = context;
  const kind = company === null ? rng.weighted(freeMailKinds) : rng.weighted(companyKinds);
  const female = rng.chance(0.5);
  const firstName = rng.pick(female ? pools.femaleFirstNames : pools.maleFirstNames);
  const lastName = rng.pick(pools.lastNames);
  const level = rng.weighted(levelTable);
  const department = rng.pick(DEPARTMENTS);
  const hasTitle = rng.chance(company === null ? MODEL.people.jobTitle.freeMail : MODEL.people.jobTitle.company);
  const subscriber = kind === 'marketing' && rng.chance(MODEL.marketing.subscriberShare);
  let email: string;
  if (company === null) {
    const domain = rng.pick(FREE_MAIL_DOMAINS);
    email = `${freeMailLocal(rng, firstName, lastName, context.freeMailTaken, domain)}@${domain}`;
  } else {
    email = `${workLocal(rng, firstName, lastName, context.companyLocals ?? new Set())}@${company.domain}`;
  }
  const country = company?.country ?? (rng.chance(0.5) ? countryByName(rng.weighted(countryTable)) : null);
  const place = company?.place ?? (country === null ? null : rng.pick(pools.places[country.name]));
  const phoneShare = company === null ? MODEL.people.phone.freeMail : MODEL.people.phone.company;
  return {
    kind,
    firstName,
    lastName,
    email,
    salutation: rng.chance(MODEL.people.salutation) ? (rng.chance(0.1) ? 'Dr.' : female ? 'Ms.' : 'Mr.') : null,
    title: subscriber || !hasTitle ? null : jobTitle(level, department),
    fit: hasTitle && BUYER_DEPARTMENTS.has(department) && SENIOR.has(level),
    phone: subscriber || country === null || !rng.chance(phoneShare) ? null : phoneNumber(rng, company?.country ?? country),
    mobile: subscriber || country === null || !rng.chance(MODEL.people.mobile) ? null : phoneNumber(rng, country),
    country,
    place,
    street: company?.street ?? null,
    companyText: company === null && !subscriber && rng.chance(MODEL.people.freeMailCompany) ? `${rng.pick(pools.lastNames)} ${rng.pick(['Consulting', 'Studio', 'Services', 'Co'])}` : null,
    subscriber,
    source: kind === 'marketing' ? rng.weighted(sourceTable) : 'OFFLINE',
    optOut: rng.chance(MODEL.people.optOut),
    industryText: company !== null && rng.chance(MODEL.people.contactIndustry) ? company.industryLabel : null,
  };
}
