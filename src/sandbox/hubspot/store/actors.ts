/**
 * Who made a change. Every write to the store names an actor; the actor decides the
 * `changeSource`/`sourceId` of the webhook events it causes and the `sourceType`/`sourceId` of
 * the property history entries it leaves, so an integration can tell its own writes apart.
 *
 * Values as HubSpot sends them (see docs/sandbox-hubspot.md for the recordings they come from):
 * a write through an OAuth app token or a private-app token is `INTEGRATION` with the app id as
 * `sourceId`; a person in the CRM is `CRM_UI` with `userId:<id>`; workflows are
 * `AUTOMATION_PLATFORM`.
 */
import { z } from 'zod';

export const ACTOR_SOURCES = [
  'CRM_UI',
  'CRM_UI_BULK_ACTION',
  'INTEGRATION',
  'API',
  'AUTOMATION',
  'FORM',
  'IMPORT',
  'CALCULATED',
  'ANALYTICS',
  'SALES',
  'MIGRATION',
] as const;
export type ActorSource = (typeof ACTOR_SOURCES)[number];

export const actorSchema = z.strictObject({
  source: z.enum(ACTOR_SOURCES),
  /** The HubSpot user (CRM_UI, and whoever installed an app). */
  userId: z.number().int().positive().optional(),
  /** The app that wrote (INTEGRATION). */
  appId: z.number().int().positive().optional(),
  /** Overrides the derived sourceId (a form guid, a workflow id, an import id). */
  sourceId: z.string().min(1).optional(),
  /** Shown as `sourceLabel` in property history. */
  sourceLabel: z.string().min(1).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** How an actor appears in webhook events and property history. */
export interface ActorView {
  /** `changeSource` of webhook events and `sourceType` of history entries. */
  changeSource: string;
  sourceId: string;
  sourceLabel?: string;
  updatedByUserId?: number;
}

/** Every event and history entry names a source id: the actor's own, else the user or app, else the source. */
export function viewOfActor(actor: Actor): ActorView {
  const userSource = actor.userId === undefined ? undefined : `userId:${actor.userId}`;
  const base = (changeSource: string, sourceId: string | undefined): ActorView => ({
    changeSource,
    sourceId: actor.sourceId ?? sourceId ?? changeSource,
    ...(actor.sourceLabel !== undefined ? { sourceLabel: actor.sourceLabel } : {}),
    ...(actor.userId !== undefined && actor.source !== 'INTEGRATION' ? { updatedByUserId: actor.userId } : {}),
  });
  switch (actor.source) {
    case 'INTEGRATION':
      return base('INTEGRATION', actor.appId === undefined ? undefined : String(actor.appId));
    case 'AUTOMATION':
      return base('AUTOMATION_PLATFORM', undefined);
    default:
      return base(actor.source, userSource);
  }
}

/** Interns actors so each record can name its creator with one small integer. */
export class ActorTable {
  private readonly actors: Actor[] = [];
  private readonly ids = new Map<string, number>();

  idOf(actor: Actor): number {
    const key = `${actor.source}|${actor.userId ?? ''}|${actor.appId ?? ''}|${actor.sourceId ?? ''}|${actor.sourceLabel ?? ''}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.actors.length;
    this.actors.push({ ...actor });
    this.ids.set(key, id);
    return id;
  }

  get(id: number): Actor {
    const actor = this.actors[id];
    if (actor === undefined) throw new Error(`unknown actor id ${id}`);
    return actor;
  }
}
