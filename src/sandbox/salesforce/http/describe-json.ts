/** Describe results (`/sobjects`, `/sobjects/X`, `/sobjects/X/describe`) built from the org's schema. */
import type { FieldDef } from '../schema/field-def.js';
import type { ObjectSchema, OrgSchema } from '../schema/org-schema.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function objectUrls(object: ObjectSchema, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

/** The flags shared by describeGlobal entries and full describes. */
function objectFlags(object: ObjectSchema, version: string): Record<string, unknown> {
  const def = object.def;
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: def.layoutable,
    hasSubtypes: false,
    idEnabled: true,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.layoutable,
    mergeable: def.mergeable,
    mruEnabled: def.layoutable,
    name: def.name,
    queryable: true,
    replicateable: def.replicateable,
    retrieveable: true,
    searchable: def.searchable,
    triggerable: def.triggerable,
    undeletable: def.undeletable,
    updateable: def.updateable,
    urls: objectUrls(object, version),
  };
}

export function describeGlobal(schema: OrgSchema, version: string): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: schema.all().map((o) => objectFlags(o, version)) };
}

export function objectBasicInfo(object: ObjectSchema, version: string): Record<string, unknown> {
  return { objectDescribe: objectFlags(object, version), recentItems: [] };
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const text = f.storage === 'string' || f.type === 'id' || f.type === 'reference';
  const filterable = !(f.type === 'textarea' && f.length > 255);
  return {
    aggregatable: filterable && f.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: false,
    byteLength: text ? f.length * 3 : 0,
    calculated: f.calculated,
    calculatedFormula: null,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' ? f.defaultValue : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.digits,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: f.type === 'textarea' && f.length > 255 ? 'plaintextarea' : null,
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: filterable && !['double', 'currency', 'percent', 'datetime'].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length: text ? f.length : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: f.type === 'reference' && f.referenceTo.length > 1,
    nillable: f.nillable,
    permissionable: f.nillable && !f.calculated && f.createable,
    picklistValues: f.picklistValues,
    polymorphicForeignKey: f.type === 'reference' && f.referenceTo.length > 1,
    precision: f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: f.type === 'reference',
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: filterable && f.type !== 'multipicklist',
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

export function describeObject(object: ObjectSchema, schema: OrgSchema, version: string): Record<string, unknown> {
  return {
    ...objectFlags(object, version),
    actionOverrides: [],
    childRelationships: schema.childRelationships(object.name).map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: object.def.layoutable,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: object.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${object.name}/describe/layouts/012000000000000AAA` },
      },
    ],
    searchLayoutable: object.def.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All records', name: 'everything' },
      { label: 'My records', name: 'mine' },
    ],
  };
}
