/**
 * How record fields appear in a change event body (Change Data Capture Developer Guide, "Change Event Message
 * Structure" and "Get Compound Fields in Change Events"):
 * - compound fields are nested: a Lead's FirstName travels as Name.FirstName, an Account's BillingCity as
 *   BillingAddress.City; changedFields names the component as 'BillingAddress.City';
 * - IsDeleted, SystemModstamp and fields derived from other records or formulas (LastActivityDate, LastViewedDate,
 *   LastReferencedDate, PhotoUrl, formula fields) are never included; the record id travels in the header only.
 */

/** Where a record field goes in the event body: top level, or a component of a compound field. */
export type FieldPlacement = { kind: 'plain'; name: string } | { kind: 'component'; compound: string; component: string };

const ADDRESS_COMPONENTS = [
  'Street',
  'City',
  'State',
  'PostalCode',
  'Country',
  'StateCode',
  'CountryCode',
  'Latitude',
  'Longitude',
  'GeocodeAccuracy',
] as const;
const NAME_COMPONENTS = ['Salutation', 'FirstName', 'LastName', 'MiddleName', 'Suffix'] as const;

/** Fields no change event carries, on any object. */
const NEVER_PUBLISHED = new Set([
  'Id',
  'IsDeleted',
  'SystemModstamp',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate',
  'PhotoUrl',
]);

interface CompoundSpec {
  compound: string;
  /** The record fields' common prefix ('Billing' for BillingStreet), '' for a Lead's Street. */
  prefix: string;
  components: readonly string[];
}

const address = (compound: string, prefix: string): CompoundSpec => ({ compound, prefix, components: ADDRESS_COMPONENTS });
const personName: CompoundSpec = { compound: 'Name', prefix: '', components: NAME_COMPONENTS };

/** Compound fields of the standard objects revloop uses. */
const COMPOUNDS: Readonly<Record<string, readonly CompoundSpec[]>> = {
  Lead: [personName, address('Address', '')],
  Contact: [personName, address('MailingAddress', 'Mailing'), address('OtherAddress', 'Other')],
  Account: [address('BillingAddress', 'Billing'), address('ShippingAddress', 'Shipping')],
};

/**
 * Fields that are computed from others and so never published, per object. Lead and Contact Name is the compound
 * itself (its components are published instead); Opportunity.ExpectedRevenue is calculated from Amount and
 * Probability.
 */
const DERIVED: Readonly<Record<string, readonly string[]>> = {
  Lead: ['Name'],
  Contact: ['Name'],
  Opportunity: ['ExpectedRevenue'],
};

export class FieldLayout {
  private readonly placements = new Map<string, FieldPlacement | null>();

  constructor(
    readonly entityName: string,
    extraDerived: readonly string[] = [],
  ) {
    for (const name of NEVER_PUBLISHED) this.placements.set(name, null);
    for (const name of [...(DERIVED[entityName] ?? []), ...extraDerived]) this.placements.set(name, null);
    for (const spec of COMPOUNDS[entityName] ?? []) {
      for (const component of spec.components) {
        this.placements.set(`${spec.prefix}${component}`, { kind: 'component', compound: spec.compound, component });
      }
    }
  }

  /** Where the field goes, or null when change events never carry it. */
  placementOf(field: string): FieldPlacement | null {
    const known = this.placements.get(field);
    return known === undefined ? { kind: 'plain', name: field } : known;
  }

  /** The name changedFields uses for the field ('BillingAddress.City'), or null when it is never published. */
  changedFieldName(field: string): string | null {
    const placement = this.placementOf(field);
    if (placement === null) return null;
    return placement.kind === 'plain' ? placement.name : `${placement.compound}.${placement.component}`;
  }
}

/** One layout per entity, built on first use. */
export class FieldLayouts {
  private readonly layouts = new Map<string, FieldLayout>();

  constructor(private readonly derivedFields: (entityName: string) => readonly string[] = () => []) {}

  of(entityName: string): FieldLayout {
    let layout = this.layouts.get(entityName);
    if (layout === undefined) {
      layout = new FieldLayout(entityName, this.derivedFields(entityName));
      this.layouts.set(entityName, layout);
    }
    return layout;
  }
}
