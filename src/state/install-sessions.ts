/**
 * State of the install flows.
 *
 * - An OAuth `state` is bound to the browser that started the install (a random nonce in a cookie;
 *   Redis keeps only its hash) and is single use (GETDEL): a callback with a state that was used,
 *   expired, or started in another browser is refused. The PKCE verifier travels with it, sealed.
 * - A connection is installed one side at a time: the side done first waits in a draft (secrets
 *   sealed) until the other side is done, then the connection is stored whole.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';
import { deploymentKey } from '../platform/redis.js';
import type { SecretBox } from '../platform/secret-box.js';
import { secretsSchema, type ConnectionSecrets } from './connection-store.js';

export const INSTALL_TTL_S = 10 * 60;
const DRAFT_TTL_S = 24 * 3600;

export type InstallProvider = 'hubspot' | 'salesforce';

const pendingSchema = z.object({
  provider: z.enum(['hubspot', 'salesforce']),
  connectionId: z.string(),
  label: z.string().default(''),
  browser: z.string(),
  verifier: z.string().optional(),
  createdAt: z.number(),
});

export interface PendingInstall {
  provider: InstallProvider;
  connectionId: string;
  label: string;
  /** The PKCE code verifier (Salesforce), opened. */
  verifier?: string;
  createdAt: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newBrowserNonce(): string {
  return randomBytes(24).toString('base64url');
}

export class InstallSessions {
  constructor(
    private readonly redis: Redis,
    private readonly box: SecretBox,
    private readonly root: string,
  ) {}

  private stateKey(state: string): string {
    return deploymentKey(this.root, 'install-state', sha256(state));
  }

  /** Starts an install; returns the `state` to send to the provider. */
  async begin(input: { provider: InstallProvider; connectionId: string; label?: string; browserNonce: string; verifier?: string }, now = Date.now()): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const record = {
      provider: input.provider,
      connectionId: input.connectionId,
      label: input.label ?? '',
      browser: sha256(input.browserNonce),
      ...(input.verifier ? { verifier: this.box.seal(input.verifier, `install:${sha256(state)}`) } : {}),
      createdAt: now,
    };
    await this.redis.set(this.stateKey(state), JSON.stringify(record), 'EX', INSTALL_TTL_S);
    return state;
  }

  /** Takes the install of `state` (once); refuses a state that is unknown, used, expired, for another provider or from another browser. */
  async finish(provider: InstallProvider, state: string, browserNonce: string | undefined): Promise<PendingInstall> {
    const raw = await this.redis.getdel(this.stateKey(state));
    if (raw === null) throw new RevloopError('BAD_REQUEST', 'this install link was already used or has expired; start the install again');
    const pending = pendingSchema.parse(JSON.parse(raw));
    if (pending.provider !== provider) throw new RevloopError('BAD_REQUEST', `this install was started for ${pending.provider}, not ${provider}; start the install again`);
    const given = Buffer.from(sha256(browserNonce ?? ''), 'hex');
    if (!browserNonce || !timingSafeEqual(given, Buffer.from(pending.browser, 'hex'))) {
      throw new RevloopError('FORBIDDEN', 'this install was started in another browser (or its cookie was lost); start the install again from this browser');
    }
    return {
      provider: pending.provider,
      connectionId: pending.connectionId,
      label: pending.label,
      ...(pending.verifier ? { verifier: this.box.open(pending.verifier, `install:${sha256(state)}`) } : {}),
      createdAt: pending.createdAt,
    };
  }
}

const hubspotSideSchema = z.object({ baseUrl: z.string(), portalId: z.number().int(), appId: z.number().int().optional() });
const salesforceSideSchema = z.object({ instanceUrl: z.string(), loginUrl: z.string(), version: z.string(), orgId: z.string().optional() });

const draftSchema = z.object({
  id: z.string(),
  label: z.string().default(''),
  hubspot: z.object({ where: hubspotSideSchema, sealed: z.string() }).optional(),
  salesforce: z.object({ where: salesforceSideSchema, sealed: z.string() }).optional(),
});

export type HubSpotSide = z.infer<typeof hubspotSideSchema>;
export type SalesforceSide = z.infer<typeof salesforceSideSchema>;

export interface InstallDraft {
  id: string;
  label: string;
  hubspot?: { where: HubSpotSide; auth: ConnectionSecrets['hubspot'] };
  salesforce?: { where: SalesforceSide; auth: ConnectionSecrets['salesforce'] };
}

/** Half-installed connections: one side done, waiting for the other. */
export class InstallDrafts {
  constructor(
    private readonly redis: Redis,
    private readonly box: SecretBox,
    private readonly root: string,
  ) {}

  private key(id: string): string {
    return deploymentKey(this.root, 'install-draft', id);
  }

  async get(id: string): Promise<InstallDraft | undefined> {
    const raw = await this.redis.get(this.key(id));
    if (!raw) return undefined;
    const d = draftSchema.parse(JSON.parse(raw));
    const open = <K extends 'hubspot' | 'salesforce'>(side: K, sealed: string) => secretsSchema.shape[side].parse(JSON.parse(this.box.open(sealed, `draft:${id}:${side}`)));
    return {
      id: d.id,
      label: d.label,
      ...(d.hubspot ? { hubspot: { where: d.hubspot.where, auth: open('hubspot', d.hubspot.sealed) as ConnectionSecrets['hubspot'] } } : {}),
      ...(d.salesforce ? { salesforce: { where: d.salesforce.where, auth: open('salesforce', d.salesforce.sealed) as ConnectionSecrets['salesforce'] } } : {}),
    };
  }

  /** Records one side of a draft, keeping the other. */
  async put(draft: InstallDraft): Promise<void> {
    const stored = {
      id: draft.id,
      label: draft.label,
      ...(draft.hubspot ? { hubspot: { where: draft.hubspot.where, sealed: this.box.seal(JSON.stringify(draft.hubspot.auth), `draft:${draft.id}:hubspot`) } } : {}),
      ...(draft.salesforce ? { salesforce: { where: draft.salesforce.where, sealed: this.box.seal(JSON.stringify(draft.salesforce.auth), `draft:${draft.id}:salesforce`) } } : {}),
    };
    await this.redis.set(this.key(draft.id), JSON.stringify(stored), 'EX', DRAFT_TTL_S);
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** Every draft's id and which sides are done (for the set-up page). */
  async list(): Promise<Array<{ id: string; label: string; hubspot: boolean; salesforce: boolean }>> {
    const out: Array<{ id: string; label: string; hubspot: boolean; salesforce: boolean }> = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${deploymentKey(this.root, 'install-draft')}:*`, 'COUNT', 200);
      cursor = next;
      for (const key of keys) {
        const raw = await this.redis.get(key);
        if (!raw) continue;
        const d = draftSchema.safeParse(JSON.parse(raw));
        if (d.success) out.push({ id: d.data.id, label: d.data.label, hubspot: d.data.hubspot !== undefined, salesforce: d.data.salesforce !== undefined });
      }
    } while (cursor !== '0');
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }
}
