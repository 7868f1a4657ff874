/** The portal's owners (users records can be assigned to), as `/crm/v3/owners` serves them. */

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  teams: Array<{ id: string; name: string; primary: boolean }>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface OwnerInput {
  email: string;
  firstName: string;
  lastName: string;
  teams?: Array<{ id: string; name: string; primary?: boolean }>;
}

/** A small sales and marketing team, enough for routing and ownership in the demo. */
export const DEFAULT_OWNERS: readonly OwnerInput[] = [
  { email: 'maya.okafor@revloop-demo.test', firstName: 'Maya', lastName: 'Okafor', teams: [{ id: '9001', name: 'Marketing' }] },
  { email: 'liam.brandt@revloop-demo.test', firstName: 'Liam', lastName: 'Brandt', teams: [{ id: '9002', name: 'Sales' }] },
  { email: 'sofia.reyes@revloop-demo.test', firstName: 'Sofia', lastName: 'Reyes', teams: [{ id: '9002', name: 'Sales' }] },
  { email: 'noah.kim@revloop-demo.test', firstName: 'Noah', lastName: 'Kim', teams: [{ id: '9002', name: 'Sales' }] },
  { email: 'ines.duarte@revloop-demo.test', firstName: 'Ines', lastName: 'Duarte', teams: [{ id: '9003', name: 'Sales Development' }] },
  { email: 'oscar.lind@revloop-demo.test', firstName: 'Oscar', lastName: 'Lind', teams: [{ id: '9003', name: 'Sales Development' }] },
];

const OWNER_ID_BASE = 71_000_001;
const USER_ID_BASE = 5_100_001;

export class OwnerDirectory {
  private readonly owners: Owner[] = [];

  constructor(
    private readonly now: () => number,
    seed: readonly OwnerInput[] = DEFAULT_OWNERS,
  ) {
    for (const input of seed) this.add(input);
  }

  add(input: OwnerInput): Owner {
    const at = this.now();
    const n = this.owners.length;
    const owner: Owner = {
      id: String(OWNER_ID_BASE + n),
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      userId: USER_ID_BASE + n,
      teams: (input.teams ?? []).map((t, i) => ({ id: t.id, name: t.name, primary: t.primary ?? i === 0 })),
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.owners.push(owner);
    return owner;
  }

  archive(id: string): void {
    const owner = this.get(id);
    if (owner !== undefined) {
      owner.archived = true;
      owner.updatedAt = this.now();
    }
  }

  list(archived = false): Owner[] {
    return this.owners.filter((o) => o.archived === archived);
  }

  get(id: string, archived = false): Owner | undefined {
    return this.owners.find((o) => o.id === id && o.archived === archived);
  }

  getByUserId(userId: number, archived = false): Owner | undefined {
    return this.owners.find((o) => o.userId === userId && o.archived === archived);
  }

  /** True when an active owner has this id (the values `hubspot_owner_id` accepts). */
  isOwnerId(id: string): boolean {
    return this.get(id) !== undefined;
  }
}
