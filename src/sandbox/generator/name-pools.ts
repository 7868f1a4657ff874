/**
 * Pools of names, places and words drawn once from @faker-js/faker with a fixed seed, then combined by the
 * generator's own fast random streams (calling faker per record would make a million people take minutes).
 */
import { Faker, base, de, en, en_AU, en_CA, en_GB, en_US, fr, type LocaleDefinition } from '@faker-js/faker';
import { mixSeed } from './rng.js';
import { COUNTRIES, type CountryName } from './vocabulary.js';

export interface Place {
  city: string;
  state: string;
  zip: string;
}

export interface NamePools {
  /** Every first name (team members). */
  firstNames: readonly string[];
  femaleFirstNames: readonly string[];
  maleFirstNames: readonly string[];
  lastNames: readonly string[];
  /** Short common nouns, capitalized, for company names. */
  nouns: readonly string[];
  places: Readonly<Record<CountryName, readonly Place[]>>;
  streets: Readonly<Record<CountryName, readonly string[]>>;
}

const LOCALES: Readonly<Record<string, LocaleDefinition>> = { en_US, en_CA, en_GB, en_AU, de, fr };
const PLACES_PER_COUNTRY = 300;
const STREETS_PER_COUNTRY = 600;

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function stateOf(faker: Faker, country: CountryName): string {
  if (country === 'United Kingdom') return faker.location.county();
  if (country === 'United States' || country === 'Canada' || country === 'Australia') return faker.location.state({ abbreviated: true });
  return faker.location.state();
}

/** Builds the pools for a seed (the same seed always gives the same pools). */
export function buildNamePools(seed: number): NamePools {
  const english = new Faker({ locale: [en, base] });
  const firstNames = english.definitions.person?.first_name?.generic ?? [];
  const femaleFirstNames = english.definitions.person?.first_name?.female ?? [];
  const maleFirstNames = english.definitions.person?.first_name?.male ?? [];
  const lastNames = english.definitions.person?.last_name?.generic ?? [];
  const nouns = (english.definitions.word?.noun ?? []).filter((w) => /^[a-z]{4,9}$/.test(w)).map(capitalize);
  if (firstNames.length === 0 || femaleFirstNames.length === 0 || maleFirstNames.length === 0 || lastNames.length === 0 || nouns.length === 0) throw new Error('@faker-js/faker has no English name or word lists');

  const places = {} as Record<CountryName, Place[]>;
  const streets = {} as Record<CountryName, string[]>;
  for (const country of COUNTRIES) {
    const locale = LOCALES[country.locale];
    const faker = new Faker({ locale: locale === undefined ? [en, base] : [locale, en, base] });
    faker.seed(mixSeed(seed, `places:${country.name}`));
    const list: Place[] = [];
    for (let i = 0; i < PLACES_PER_COUNTRY; i++) list.push({ city: faker.location.city(), state: stateOf(faker, country.name), zip: faker.location.zipCode() });
    places[country.name] = list;
    const roads: string[] = [];
    for (let i = 0; i < STREETS_PER_COUNTRY; i++) roads.push(faker.location.streetAddress());
    streets[country.name] = roads;
  }
  return {
    firstNames: [...new Set(firstNames)],
    femaleFirstNames: [...new Set(femaleFirstNames)],
    maleFirstNames: [...new Set(maleFirstNames)],
    lastNames: [...new Set(lastNames)], nouns: [...new Set(nouns)], places, streets };
}
