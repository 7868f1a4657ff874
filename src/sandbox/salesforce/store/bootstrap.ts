/**
 * What a new sandbox org contains before any API call: the integration user (whose session the sandbox hands out),
 * an admin, configured users, and the OpportunityStage and LeadStatus metadata rows.
 */
import { z } from 'zod';
import type { SalesforceStore } from './salesforce-store.js';

export const sandboxUserSchema = z.strictObject({
  username: z.string().min(3).max(80).regex(/^[^@\s]+@[^@\s]+$/, 'must look like an email address'),
  lastName: z.string().min(1).max(80),
  firstName: z.string().max(40).optional(),
  email: z.string().email().max(128),
  alias: z.string().min(1).max(8).optional(),
  title: z.string().max(80).optional(),
  department: z.string().max(80).optional(),
  isActive: z.boolean().optional(),
  /** Username of the user's manager (declared earlier in the list). */
  managerUsername: z.string().optional(),
});

export type SandboxUserInput = z.input<typeof sandboxUserSchema>;

const BUILT_IN_USERS: SandboxUserInput[] = [
  { username: 'integration@revloop.sandbox', firstName: 'Revloop', lastName: 'Integration', email: 'integration@revloop.sandbox', alias: 'rvlint', title: 'Integration User' },
  { username: 'admin@revloop.sandbox', firstName: 'Sandbox', lastName: 'Admin', email: 'admin@revloop.sandbox', alias: 'sadmin', title: 'System Administrator' },
];

export function bootstrapOrg(store: SalesforceStore, extraUsers: readonly SandboxUserInput[]): void {
  const system = { userId: store.integrationUserId, emitChanges: false };
  store.transaction(system, (tx) => {
    const users = store.registry.get('User');
    for (const raw of [...BUILT_IN_USERS, ...extraUsers]) {
      const user = sandboxUserSchema.parse(raw);
      const manager = user.managerUsername === undefined ? undefined : store.userIdByUsername(user.managerUsername);
      if (user.managerUsername !== undefined && manager === undefined) {
        throw new Error(`users: manager ${user.managerUsername} of ${user.username} is not declared before it`);
      }
      store.records.insert(tx, users, {
        Username: user.username,
        LastName: user.lastName,
        FirstName: user.firstName ?? null,
        Email: user.email,
        Alias: user.alias ?? user.username.slice(0, 8),
        Title: user.title ?? null,
        Department: user.department ?? null,
        IsActive: user.isActive ?? true,
        ManagerId: manager ?? null,
      });
    }
    const stages = store.registry.get('OpportunityStage');
    store.schema.stages.forEach((stage, i) => {
      store.records.insert(
        tx,
        stages,
        {
          ApiName: stage.apiName,
          MasterLabel: stage.apiName,
          IsActive: true,
          SortOrder: i + 1,
          IsClosed: stage.isClosed,
          IsWon: stage.isWon,
          ForecastCategory: stage.forecastCategory,
          ForecastCategoryName: stage.forecastCategoryName,
          DefaultProbability: stage.probability,
        },
        { system: true },
      );
    });
    const statuses = store.registry.get('LeadStatus');
    store.schema.leadStatuses.forEach((status, i) => {
      store.records.insert(
        tx,
        statuses,
        { ApiName: status.apiName, MasterLabel: status.apiName, SortOrder: i + 1, IsDefault: status.isDefault, IsConverted: status.isConverted },
        { system: true },
      );
    });
  });
}
