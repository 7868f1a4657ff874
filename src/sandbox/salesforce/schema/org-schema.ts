/**
 * The schema of the simulated org: its sObject types, their fields (standard and custom), relationships, and the
 * metadata rows behind Lead Status and Opportunity stages. Names resolve case-insensitively, as in Salesforce.
 */
import { REVLOOP_CUSTOM_FIELDS, REVLOOP_LEAD_STATUSES } from '../default-org.js';
import { customFieldDef, customFieldsConfigSchema, type CustomFieldsConfig } from './custom-field-input.js';
import type { FieldDef } from './field-def.js';
import type { ObjectDef } from './object-def.js';
import { STANDARD_LEAD_STATUSES, STANDARD_STAGES, type LeadStatusDef, type StageDef } from './picklists.js';
import { accountObject } from './objects/account.js';
import { campaignMemberObject } from './objects/campaign-member.js';
import { campaignObject } from './objects/campaign.js';
import { contactObject } from './objects/contact.js';
import { leadObject } from './objects/lead.js';
import { opportunityContactRoleObject } from './objects/opportunity-contact-role.js';
import { opportunityObject } from './objects/opportunity.js';
import { leadStatusObject, opportunityStageObject } from './objects/stage-metadata.js';
import { taskObject } from './objects/task.js';
import { userObject } from './objects/user.js';

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
  cascadeDelete: boolean;
}

export class ObjectSchema {
  readonly fields: FieldDef[];
  private readonly byName = new Map<string, FieldDef>();
  private readonly byExactName = new Map<string, FieldDef>();
  private readonly byRelationship = new Map<string, FieldDef>();

  constructor(readonly def: ObjectDef) {
    this.fields = [];
    for (const f of def.fields) this.addField(f);
  }

  get name(): string {
    return this.def.name;
  }

  field(name: string): FieldDef | undefined {
    return this.byExactName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** The reference field behind a parent relationship name ('Account' → AccountId). */
  parentRelationship(relationshipName: string): FieldDef | undefined {
    return this.byRelationship.get(relationshipName.toLowerCase());
  }

  addField(f: FieldDef): void {
    if (this.byName.has(f.name.toLowerCase())) throw new Error(`${this.def.name}.${f.name} already exists`);
    this.fields.push(f);
    this.byName.set(f.name.toLowerCase(), f);
    this.byExactName.set(f.name, f);
    if (f.relationshipName !== null) this.byRelationship.set(f.relationshipName.toLowerCase(), f);
  }

  get nameField(): FieldDef | undefined {
    return this.fields.find((f) => f.nameField);
  }
}

export interface OrgSchemaOptions {
  bareOrg?: boolean;
  customFields?: CustomFieldsConfig;
}

export class OrgSchema {
  private readonly objects = new Map<string, ObjectSchema>();
  readonly stages: readonly StageDef[];
  readonly leadStatuses: readonly LeadStatusDef[];

  constructor(defs: ObjectDef[], stages: readonly StageDef[], leadStatuses: readonly LeadStatusDef[]) {
    for (const def of defs) this.objects.set(def.name.toLowerCase(), new ObjectSchema(def));
    this.stages = stages;
    this.leadStatuses = leadStatuses;
  }

  object(name: string): ObjectSchema | undefined {
    return this.objects.get(name.toLowerCase());
  }

  all(): ObjectSchema[] {
    return [...this.objects.values()];
  }

  childRelationships(parentName: string): ChildRelationship[] {
    const out: ChildRelationship[] = [];
    for (const child of this.objects.values()) {
      for (const f of child.fields) {
        if (f.type !== 'reference' || f.childRelationshipName === null) continue;
        if (!f.referenceTo.some((t) => t.toLowerCase() === parentName.toLowerCase())) continue;
        out.push({ childSObject: child.name, field: f.name, relationshipName: f.childRelationshipName, cascadeDelete: f.cascadeDelete });
      }
    }
    return out;
  }

  childRelationship(parentName: string, relationshipName: string): ChildRelationship | undefined {
    const lower = relationshipName.toLowerCase();
    return this.childRelationships(parentName).find((r) => r.relationshipName.toLowerCase() === lower);
  }

  stage(apiName: string): StageDef | undefined {
    return this.stages.find((s) => s.apiName === apiName);
  }

  leadStatus(apiName: string): LeadStatusDef | undefined {
    return this.leadStatuses.find((s) => s.apiName === apiName);
  }
}

function withRevloopStatuses(): LeadStatusDef[] {
  const out: LeadStatusDef[] = [];
  for (const status of STANDARD_LEAD_STATUSES) {
    out.push(status);
    if (status.apiName === 'Working - Contacted') out.push(...REVLOOP_LEAD_STATUSES);
  }
  return out;
}

/** Builds the org: standard objects, plus revloop's setup unless bareOrg, plus the configured custom fields. */
export function buildOrgSchema(options: OrgSchemaOptions = {}): OrgSchema {
  const bare = options.bareOrg === true;
  const leadStatuses = bare ? [...STANDARD_LEAD_STATUSES] : withRevloopStatuses();
  const stages = [...STANDARD_STAGES];
  const org = new OrgSchema(
    [
      leadObject(leadStatuses),
      contactObject(),
      accountObject(),
      opportunityObject(stages),
      opportunityContactRoleObject(),
      campaignObject(),
      campaignMemberObject(),
      taskObject(),
      userObject(),
      opportunityStageObject(),
      leadStatusObject(),
    ],
    stages,
    leadStatuses,
  );
  const configs = [bare ? {} : REVLOOP_CUSTOM_FIELDS, customFieldsConfigSchema.parse(options.customFields ?? {})];
  for (const config of configs) {
    for (const [objectName, inputs] of Object.entries(config)) {
      const object = org.object(objectName);
      if (object === undefined) throw new Error(`customFields: unknown object ${objectName}`);
      for (const input of inputs) {
        if (object.field(input.name) !== undefined) continue;
        object.addField(customFieldDef(input));
      }
    }
  }
  return org;
}
