/**
 * The property definitions and groups of the portal, per object type: the Properties API's state.
 * Starts with the standard portal (default-properties.ts); integrations add their own.
 */
import { DEFAULT_GROUPS, DEFAULT_PROPERTIES } from './default-properties.js';
import { OBJECT_TYPES, type ObjectTypeName } from './object-types.js';
import {
  FIELD_TYPES_BY_TYPE,
  optionsFrom,
  type PropertyDefinition,
  type PropertyDefinitionInput,
  type PropertyGroup,
} from './property-definitions.js';
import { ConflictError, InvalidRequestError, NotFoundError } from './store-errors.js';

const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,99}$/;

export interface PropertyUpdateInput {
  label?: string;
  description?: string;
  groupName?: string;
  type?: PropertyDefinition['type'];
  fieldType?: PropertyDefinition['fieldType'];
  options?: PropertyDefinitionInput['options'];
  displayOrder?: number;
  hidden?: boolean;
  formField?: boolean;
}

export class PropertyRegistry {
  private readonly properties = new Map<ObjectTypeName, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<ObjectTypeName, Map<string, PropertyGroup>>();
  private readonly optionSets = new WeakMap<PropertyDefinition, Set<string>>();
  private readonly uniqueNames = new Map<ObjectTypeName, string[]>();

  constructor(private readonly now: () => number) {
    const at = now();
    for (const type of OBJECT_TYPES) {
      this.groups.set(type, new Map(DEFAULT_GROUPS[type].map((g) => [g.name, { ...g }])));
      const defs = new Map<string, PropertyDefinition>();
      DEFAULT_PROPERTIES[type].forEach((input, i) => defs.set(input.name, this.build(input, true, at, i)));
      this.properties.set(type, defs);
    }
  }

  /** A live (not archived) definition, or undefined. */
  get(type: ObjectTypeName, name: string): PropertyDefinition | undefined {
    const def = this.table(type).get(name);
    return def === undefined || def.archived ? undefined : def;
  }

  /** A definition whether archived or not. */
  getAny(type: ObjectTypeName, name: string): PropertyDefinition | undefined {
    return this.table(type).get(name);
  }

  list(type: ObjectTypeName, archived = false): PropertyDefinition[] {
    return [...this.table(type).values()].filter((d) => d.archived === archived);
  }

  /** Names of the live properties defined with `hasUniqueValue` (cached until a definition changes). */
  uniqueProperties(type: ObjectTypeName): readonly string[] {
    let names = this.uniqueNames.get(type);
    if (names === undefined) {
      names = this.list(type)
        .filter((d) => d.hasUniqueValue)
        .map((d) => d.name);
      this.uniqueNames.set(type, names);
    }
    return names;
  }

  /** The option values of an enumeration, as a set (cached). */
  optionValues(def: PropertyDefinition): Set<string> {
    let set = this.optionSets.get(def);
    if (set === undefined) {
      set = new Set(def.options.map((o) => o.value));
      this.optionSets.set(def, set);
    }
    return set;
  }

  create(type: ObjectTypeName, input: PropertyDefinitionInput): PropertyDefinition {
    if (!PROPERTY_NAME.test(input.name)) {
      throw new InvalidRequestError(
        `Property name "${input.name}" is invalid: use lower-case letters, digits and underscores, starting with a letter (at most 100 characters).`,
      );
    }
    if (this.table(type).has(input.name)) {
      throw new ConflictError(`A property named '${input.name}' already exists.`);
    }
    this.checkShape(type, input.type, input.fieldType, input.groupName, input.options);
    const def = this.build(input, false, this.now(), this.table(type).size);
    this.table(type).set(def.name, def);
    this.uniqueNames.delete(type);
    return def;
  }

  update(type: ObjectTypeName, name: string, patch: PropertyUpdateInput): PropertyDefinition {
    const current = this.get(type, name);
    if (current === undefined) throw new NotFoundError(`Property ${name} does not exist`, [name]);
    if (current.readOnlyDefinition && (patch.type !== undefined || patch.fieldType !== undefined || patch.options !== undefined)) {
      throw new InvalidRequestError(`Property ${name} is a HubSpot-defined property; its type and options cannot be changed.`);
    }
    const type2 = patch.type ?? current.type;
    const fieldType = patch.fieldType ?? current.fieldType;
    const groupName = patch.groupName ?? current.groupName;
    this.checkShape(type, type2, fieldType, groupName, patch.options);
    const next: PropertyDefinition = {
      ...current,
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}),
      ...(patch.hidden !== undefined ? { hidden: patch.hidden } : {}),
      ...(patch.formField !== undefined ? { formField: patch.formField } : {}),
      ...(patch.options !== undefined ? { options: optionsFrom(patch.options) } : {}),
      type: type2,
      fieldType,
      groupName,
      updatedAt: this.now(),
    };
    this.table(type).set(name, next);
    this.uniqueNames.delete(type);
    return next;
  }

  archive(type: ObjectTypeName, name: string): void {
    const current = this.get(type, name);
    if (current === undefined) throw new NotFoundError(`Property ${name} does not exist`, [name]);
    if (!current.archivable) throw new InvalidRequestError(`Property ${name} is a HubSpot-defined property and cannot be archived.`);
    const at = this.now();
    this.table(type).set(name, { ...current, archived: true, archivedAt: at, updatedAt: at });
    this.uniqueNames.delete(type);
  }

  listGroups(type: ObjectTypeName): PropertyGroup[] {
    return [...this.groupTable(type).values()].filter((g) => !g.archived);
  }

  getGroup(type: ObjectTypeName, name: string): PropertyGroup | undefined {
    const group = this.groupTable(type).get(name);
    return group === undefined || group.archived ? undefined : group;
  }

  createGroup(type: ObjectTypeName, input: { name: string; label: string; displayOrder?: number }): PropertyGroup {
    if (!PROPERTY_NAME.test(input.name)) {
      throw new InvalidRequestError(
        `Property group name "${input.name}" is invalid: use lower-case letters, digits and underscores, starting with a letter.`,
      );
    }
    if (this.groupTable(type).has(input.name)) throw new ConflictError(`A property group named '${input.name}' already exists.`);
    const group: PropertyGroup = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    this.groupTable(type).set(group.name, group);
    return group;
  }

  updateGroup(type: ObjectTypeName, name: string, patch: { label?: string; displayOrder?: number }): PropertyGroup {
    const current = this.getGroup(type, name);
    if (current === undefined) throw new NotFoundError(`Property group ${name} does not exist`, [name]);
    const next = { ...current, ...patch };
    this.groupTable(type).set(name, next);
    return next;
  }

  archiveGroup(type: ObjectTypeName, name: string): void {
    const current = this.getGroup(type, name);
    if (current === undefined) throw new NotFoundError(`Property group ${name} does not exist`, [name]);
    if (this.list(type).some((p) => p.groupName === name)) {
      throw new InvalidRequestError(`Property group ${name} still holds properties; move or archive them first.`);
    }
    this.groupTable(type).set(name, { ...current, archived: true });
  }

  private checkShape(
    type: ObjectTypeName,
    propertyType: PropertyDefinition['type'],
    fieldType: PropertyDefinition['fieldType'],
    groupName: string,
    options: PropertyDefinitionInput['options'],
  ): void {
    if (!FIELD_TYPES_BY_TYPE[propertyType].includes(fieldType)) {
      throw new InvalidRequestError(
        `Field type ${fieldType} is not valid for property type ${propertyType}; use one of ${FIELD_TYPES_BY_TYPE[propertyType].join(', ')}.`,
      );
    }
    if (this.getGroup(type, groupName) === undefined) {
      throw new InvalidRequestError(`Property group ${groupName} does not exist for ${type}.`);
    }
    if (options !== undefined) {
      const values = new Set<string>();
      for (const option of options) {
        if (values.has(option.value)) throw new InvalidRequestError(`Option value "${option.value}" is used more than once.`);
        values.add(option.value);
      }
    }
  }

  private build(input: PropertyDefinitionInput, hubspotDefined: boolean, at: number, order: number): PropertyDefinition {
    const readOnlyValue = input.readOnlyValue ?? false;
    return {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: optionsFrom(input.options),
      displayOrder: input.displayOrder ?? (hubspotDefined ? -1 : order),
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? !readOnlyValue,
      hubspotDefined,
      calculated: input.calculated ?? false,
      externalOptions: input.externalOptions ?? false,
      readOnlyValue,
      readOnlyDefinition: hubspotDefined,
      archivable: !hubspotDefined,
      ...(input.referencedObjectType !== undefined ? { referencedObjectType: input.referencedObjectType } : {}),
      ...(input.showCurrencySymbol !== undefined ? { showCurrencySymbol: input.showCurrencySymbol } : {}),
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
  }

  private table(type: ObjectTypeName): Map<string, PropertyDefinition> {
    const table = this.properties.get(type);
    if (table === undefined) throw new Error(`no property table for ${type}`);
    return table;
  }

  private groupTable(type: ObjectTypeName): Map<string, PropertyGroup> {
    const table = this.groups.get(type);
    if (table === undefined) throw new Error(`no group table for ${type}`);
    return table;
  }
}
