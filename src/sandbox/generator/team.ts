/**
 * The revenue team: marketers, SDRs who accept and work MQLs, AEs who own accounts and opportunities, and their
 * managers. Each member is a HubSpot owner and a Salesforce User with the same email (how revloop's `owner`
 * transform pairs them); reps have User.ManagerId set. Owners the HubSpot portal already has (the sandbox's demo
 * team) are reused by their team name, and get a Salesforce User when they have none.
 */
import type { HubSpotStore } from '../hubspot/store/hubspot-store.js';
import type { Owner } from '../hubspot/store/owners.js';
import type { SalesforceStore } from '../salesforce/store/salesforce-store.js';
import { MODEL } from './model.js';
import type { NamePools } from './name-pools.js';
import type { Rng } from './rng.js';
import type { OwnerTruth, TeamRole } from './truth.js';

export const TEAM_DOMAIN = 'revloop-demo.test';

export interface TeamMember extends OwnerTruth {
  /** The HubSpot user behind the owner (the `userId` of CRM_UI writes). */
  hubspotUserId: number;
}

export interface Team {
  members: TeamMember[];
  marketing: TeamMember[];
  sdrs: TeamMember[];
  aes: TeamMember[];
}

const TEAM_NAMES: Readonly<Record<Exclude<TeamRole, 'manager'>, { team: string; id: string; title: string; department: string }>> = {
  marketing: { team: 'Marketing', id: '9001', title: 'Marketing Manager', department: 'Marketing' },
  ae: { team: 'Sales', id: '9002', title: 'Account Executive', department: 'Sales' },
  sdr: { team: 'Sales Development', id: '9003', title: 'Sales Development Representative', department: 'Sales Development' },
};
const MANAGERS: ReadonlyArray<{ of: Exclude<TeamRole, 'manager'>; title: string }> = [
  { of: 'marketing', title: 'Marketing Director' },
  { of: 'ae', title: 'Sales Director' },
  { of: 'sdr', title: 'SDR Manager' },
];

function clamp(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, value));
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

interface Draft {
  role: TeamRole;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  department: string;
  team: { id: string; name: string } | undefined;
  managerOf?: Exclude<TeamRole, 'manager'>;
  existing?: Owner;
}

function roleOfOwner(owner: Owner): Exclude<TeamRole, 'manager'> | undefined {
  const team = owner.teams[0]?.name;
  return (Object.keys(TEAM_NAMES) as Array<Exclude<TeamRole, 'manager'>>).find((role) => TEAM_NAMES[role].team === team);
}

/** Creates (or completes) the team in both stores at `at`, deterministically for a seed and a number of people. */
export function buildTeam(input: { rng: Rng; pools: NamePools; people: number; hubspot: HubSpotStore; salesforce: SalesforceStore; at: number }): Team {
  const { rng, pools, hubspot, salesforce } = input;
  const wanted: Record<Exclude<TeamRole, 'manager'>, number> = {
    marketing: MODEL.team.marketing,
    sdr: clamp(Math.ceil(input.people / MODEL.team.peoplePerSdr), MODEL.team.sdr),
    ae: clamp(Math.ceil(input.people / MODEL.team.peoplePerAe), MODEL.team.ae),
  };
  const used = new Set<string>();
  const drafts: Draft[] = [];
  const fresh = (role: TeamRole, title: string, department: string, team: Draft['team']): Draft => {
    for (let attempt = 0; ; attempt++) {
      const firstName = rng.pick(pools.firstNames);
      const lastName = rng.pick(pools.lastNames);
      const local = `${ascii(firstName)}.${ascii(lastName)}${attempt > 5 ? attempt : ''}`;
      const email = `${local}@${TEAM_DOMAIN}`;
      if (!used.has(email) && hubspot.owners.list().every((o) => o.email.toLowerCase() !== email)) {
        used.add(email);
        return { role, firstName, lastName, email, title, department, team };
      }
    }
  };
  for (const manager of MANAGERS) {
    const names = TEAM_NAMES[manager.of];
    drafts.push({ ...fresh('manager', manager.title, names.department, { id: names.id, name: names.team }), managerOf: manager.of });
  }
  for (const role of Object.keys(wanted) as Array<Exclude<TeamRole, 'manager'>>) {
    const names = TEAM_NAMES[role];
    const existing = hubspot.owners.list().filter((o) => roleOfOwner(o) === role);
    for (const owner of existing.slice(0, wanted[role])) {
      used.add(owner.email.toLowerCase());
      drafts.push({ role, firstName: owner.firstName, lastName: owner.lastName, email: owner.email, title: names.title, department: names.department, team: { id: names.id, name: names.team }, existing: owner });
    }
    for (let n = existing.length; n < wanted[role]; n++) drafts.push(fresh(role, names.title, names.department, { id: names.id, name: names.team }));
  }

  const members: TeamMember[] = [];
  const managerKeyOf = new Map<TeamRole, string>();
  salesforce.transaction({ userId: salesforce.adminUserId, emitChanges: false, auditFields: true }, () => {
    for (const draft of drafts) {
      const owner = draft.existing ?? hubspot.owners.list().find((o) => o.email.toLowerCase() === draft.email.toLowerCase())
        ?? hubspot.owners.add({ email: draft.email, firstName: draft.firstName, lastName: draft.lastName, ...(draft.team === undefined ? {} : { teams: [draft.team] }) });
      const managerKey = draft.role === 'manager' ? null : (managerKeyOf.get(draft.role) ?? null);
      const managerUserId = managerKey === null ? null : (members.find((m) => m.key === managerKey)?.salesforceUserId ?? null);
      const salesforceUserId =
        salesforce.userIdByUsername(draft.email) ??
        salesforce.insert('User', {
          Username: draft.email,
          Email: draft.email,
          FirstName: draft.firstName,
          LastName: draft.lastName,
          Alias: `${ascii(draft.firstName).slice(0, 1)}${ascii(draft.lastName).slice(0, 7)}`,
          Title: draft.title,
          Department: draft.department,
          ManagerId: managerUserId,
          CreatedDate: new Date(input.at).toISOString(),
          LastModifiedDate: new Date(input.at).toISOString(),
        });
      const key = draft.email.split('@')[0] ?? draft.email;
      if (draft.managerOf !== undefined) managerKeyOf.set(draft.managerOf, key);
      members.push({
        key,
        role: draft.role,
        firstName: draft.firstName,
        lastName: draft.lastName,
        email: draft.email,
        hubspotOwnerId: owner.id,
        hubspotUserId: owner.userId,
        salesforceUserId,
        manager: managerKey,
      });
    }
  });
  return {
    members,
    marketing: members.filter((m) => m.role === 'marketing'),
    sdrs: members.filter((m) => m.role === 'sdr'),
    aes: members.filter((m) => m.role === 'ae'),
  };
}
