/** Property and property-group definitions as HubSpot's Properties API describes them. */

export const PROPERTY_TYPES = ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const FIELD_TYPES = [
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Which field types HubSpot allows for each property type. */
export const FIELD_TYPES_BY_TYPE: Readonly<Record<PropertyType, readonly FieldType[]>> = {
  bool: ['booleancheckbox', 'radio', 'select'],
  enumeration: ['checkbox', 'radio', 'select', 'booleancheckbox'],
  date: ['date'],
  datetime: ['date'],
  number: ['number', 'calculation_equation'],
  string: ['text', 'textarea', 'html', 'file', 'phonenumber'],
  phone_number: ['phonenumber'],
};

export interface PropertyOption {
  label: string;
  value: string;
  description?: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  /** Options come from elsewhere (owners, pipelines, stages) instead of `options`. */
  externalOptions: boolean;
  /** API writes are refused (the store itself may still set it). */
  readOnlyValue: boolean;
  readOnlyDefinition: boolean;
  archivable: boolean;
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** The part of a definition a caller supplies; the rest gets HubSpot's defaults. */
export interface PropertyDefinitionInput {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description?: string;
  options?: Array<{ label: string; value: string; description?: string; displayOrder?: number; hidden?: boolean }>;
  displayOrder?: number;
  hasUniqueValue?: boolean;
  hidden?: boolean;
  formField?: boolean;
  calculated?: boolean;
  externalOptions?: boolean;
  readOnlyValue?: boolean;
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
}

export function optionsFrom(input: PropertyDefinitionInput['options']): PropertyOption[] {
  return (input ?? []).map((o, i) => ({
    label: o.label,
    value: o.value,
    ...(o.description !== undefined ? { description: o.description } : {}),
    displayOrder: o.displayOrder ?? i,
    hidden: o.hidden ?? false,
  }));
}
