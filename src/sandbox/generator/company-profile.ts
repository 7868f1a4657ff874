/**
 * A company: unique name and domain, industry (one companies.yaml maps), size band, employees, revenue, address and
 * phone, the AE who owns it, and whether sales already had it as a target Account before the history starts.
 */
import { COMPANY_BANDS, MODEL, type CompanyBand } from './model.js';
import type { NamePools, Place } from './name-pools.js';
import { WeightedTable, type Rng } from './rng.js';
import type { TeamMember } from './team.js';
import {
  COMPANY_WORDS,
  COUNTRIES,
  GENERIC_COMPANY_WORDS,
  INDUSTRY_MAP,
  INDUSTRY_WEIGHTS,
  type CountryName,
  type HubSpotIndustry,
} from './vocabulary.js';

export type Country = (typeof COUNTRIES)[number];

export interface CompanyProfile {
  index: number;
  name: string;
  /** The Account's name: the same, or with a legal suffix (a drift between the systems). */
  accountName: string;
  domain: string;
  website: string;
  industry: HubSpotIndustry;
  industryLabel: string;
  /** The Account's Industry (differs from the mapped label for a few companies). */
  accountIndustryLabel: string;
  band: CompanyBand;
  employees: number;
  annualRevenue: number;
  country: Country;
  place: Place;
  street: string;
  phone: string;
  owner: TeamMember;
  targetAccount: boolean;
  /** How many known people work there. */
  people: number;
}

const bandTable = new WeightedTable(Object.fromEntries(COMPANY_BANDS.map((b) => [b.id, b.weight])));
const industryTable = new WeightedTable(INDUSTRY_WEIGHTS);
export const countryTable = new WeightedTable(Object.fromEntries(COUNTRIES.map((c) => [c.name, c.weight])) as Record<CountryName, number>);
const TLDS = new WeightedTable({ com: 75, io: 10, co: 7, net: 5, ai: 3 });
const LEGAL = { 'United States': 'Inc.', Canada: 'Inc.', 'United Kingdom': 'Ltd', Australia: 'Pty Ltd', Germany: 'GmbH', France: 'SAS' } as const;

export function countryByName(name: CountryName): Country {
  return COUNTRIES.find((c) => c.name === name) ?? COUNTRIES[0];
}

/** A phone number in the country's format. */
export function phoneNumber(rng: Rng, country: Country): string {
  let out = '';
  let afterDigit = false;
  for (const ch of country.phone) {
    // A group never starts with 0 or 1 (area and exchange codes).
    out += ch === '#' ? String(rng.int(afterDigit ? 0 : 2, 9)) : ch;
    afterDigit = ch === '#';
  }
  return out;
}

function slug(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** Hands out company names and domains that are unique within a dataset. */
export class CompanyNamer {
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();

  constructor(private readonly pools: NamePools) {}

  next(rng: Rng, industryLabel: string): { name: string; domain: string } {
    const words = COMPANY_WORDS[industryLabel] ?? GENERIC_COMPANY_WORDS;
    for (let attempt = 0; ; attempt++) {
      const style = rng.float();
      const main = style < 0.45 ? rng.pick(this.pools.nouns) : rng.pick(this.pools.lastNames);
      const name =
        style < 0.8
          ? `${main} ${rng.chance(0.7) ? rng.pick(words) : rng.pick(GENERIC_COMPANY_WORDS)}`
          : `${rng.pick(this.pools.lastNames)} & ${rng.pick(this.pools.lastNames)}`;
      const unique = attempt < 8 ? name : `${name} ${attempt}`;
      if (this.names.has(unique)) continue;
      let domain = `${slug(unique)}.${rng.weighted(TLDS)}`;
      for (let n = 2; this.domains.has(domain); n++) domain = `${slug(unique)}${n}.${rng.weighted(TLDS)}`;
      this.names.add(unique);
      this.domains.add(domain);
      return { name: unique, domain };
    }
  }
}

export function drawCompany(rng: Rng, index: number, namer: CompanyNamer, pools: NamePools, aes: readonly TeamMember[]): CompanyProfile {
  const bandId = rng.weighted(bandTable);
  const band = COMPANY_BANDS.find((b) => b.id === bandId) ?? (COMPANY_BANDS[0] as CompanyBand);
  const industry = rng.weighted(industryTable);
  const industryLabel = INDUSTRY_MAP[industry];
  const { name, domain } = namer.next(rng, industryLabel);
  const employees = Math.round(Math.exp(rng.between(Math.log(band.minEmployees), Math.log(band.maxEmployees + 1))));
  const annualRevenue = Math.round((employees * rng.logNormal(MODEL.revenuePerEmployee.median, MODEL.revenuePerEmployee.sigma)) / 1000) * 1000;
  const country = countryByName(rng.weighted(countryTable));
  const drift = MODEL.drift;
  const labels = Object.values(INDUSTRY_MAP);
  return {
    index,
    name,
    accountName: rng.chance(drift.accountSuffix) ? `${name} ${LEGAL[country.name]}` : name,
    domain,
    website: `https://www.${domain}`,
    industry,
    industryLabel,
    accountIndustryLabel: rng.chance(drift.accountIndustry) ? rng.pick(labels) : industryLabel,
    band,
    employees: Math.min(band.maxEmployees, Math.max(band.minEmployees, employees)),
    annualRevenue: Math.max(50_000, annualRevenue),
    country,
    place: rng.pick(pools.places[country.name]),
    street: rng.pick(pools.streets[country.name]),
    phone: phoneNumber(rng, country),
    owner: rng.pick(aes),
    targetAccount: rng.chance(band.targetAccount),
    people: Math.max(1, Math.round(rng.logNormal(band.people, MODEL.peopleSigma))),
  };
}
