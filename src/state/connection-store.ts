/**
 * Connections of a deployment: one HubSpot portal + one Salesforce org + one mapping set each.
 * Stored in Redis with every token sealed (AES-256-GCM, bound to its connection id); the plain
 * part says where the APIs are and how to authenticate, never a secret.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';
import { deploymentKey } from '../platform/redis.js';
import type { SecretBox } from '../platform/secret-box.js';

const hubspotAuth = z.discriminatedUnion('kind', [
  /** `webhookSecret`: the client secret that signs this app's webhooks. */
  z.object({ kind: z.literal('private-app'), token: z.string().min(1), webhookSecret: z.string().min(1).optional() }),
  z.object({ kind: z.literal('oauth'), accessToken: z.string().min(1), refreshToken: z.string().min(1), expiresAt: z.number() }),
]);

const salesforceAuth = z.discriminatedUnion('kind', [
  /** A session token (sandbox connections). */
  z.object({ kind: z.literal('session'), accessToken: z.string().min(1) }),
  z.object({ kind: z.literal('oauth'), accessToken: z.string().min(1), refreshToken: z.string().min(1) }),
  z.object({ kind: z.literal('jwt'), accessToken: z.string().optional(), username: z.string().min(1) }),
]);

export const secretsSchema = z.object({ hubspot: hubspotAuth, salesforce: salesforceAuth });
export type ConnectionSecrets = z.infer<typeof secretsSchema>;

export const connectionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/),
  label: z.string().max(120).default(''),
  /** `appId`: the app revloop writes with here; its INTEGRATION webhook events are revloop's own writes. */
  hubspot: z.object({ baseUrl: z.string().url(), portalId: z.number().int().optional(), appId: z.number().int().optional() }),
  salesforce: z.object({ instanceUrl: z.string().url(), loginUrl: z.string().url(), version: z.string(), orgId: z.string().optional() }),
  /** The mappings directory of this connection (the deployment's default when absent). */
  mappingsDir: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export type Connection = z.infer<typeof connectionSchema>;
export type ConnectionInput = Omit<z.input<typeof connectionSchema>, 'createdAt' | 'updatedAt'> & { createdAt?: number };

const storedSchema = connectionSchema.extend({ sealed: z.string() });

export class ConnectionStore {
  constructor(
    private readonly redis: Redis,
    private readonly box: SecretBox,
    private readonly root = 'revloop',
  ) {}

  private get key(): string {
    return deploymentKey(this.root, 'connections');
  }

  async put(connection: ConnectionInput, secrets: ConnectionSecrets, now = Date.now()): Promise<Connection> {
    const record: Connection = connectionSchema.parse({ ...connection, createdAt: connection.createdAt ?? now, updatedAt: now });
    const sealed = this.box.seal(JSON.stringify(secretsSchema.parse(secrets)), record.id);
    await this.redis.hset(this.key, record.id, JSON.stringify({ ...record, sealed }));
    return record;
  }

  async get(id: string): Promise<{ connection: Connection; secrets: ConnectionSecrets } | undefined> {
    const raw = await this.redis.hget(this.key, id);
    if (!raw) return undefined;
    const stored = storedSchema.parse(JSON.parse(raw));
    const { sealed, ...connection } = stored;
    const secrets = secretsSchema.parse(JSON.parse(this.box.open(sealed, stored.id)));
    return { connection, secrets };
  }

  async require(id: string): Promise<{ connection: Connection; secrets: ConnectionSecrets }> {
    const found = await this.get(id);
    if (!found) throw new RevloopError('NOT_FOUND', `no connection "${id}"`);
    return found;
  }

  /** The connection of a HubSpot portal (webhooks name their portal). */
  async byPortal(portalId: string): Promise<Connection | undefined> {
    return (await this.list()).find((c) => String(c.hubspot.portalId) === portalId);
  }

  async list(): Promise<Connection[]> {
    const all = await this.redis.hvals(this.key);
    return all.map((raw) => {
      const { sealed: _sealed, ...connection } = storedSchema.parse(JSON.parse(raw));
      return connection;
    });
  }

  /** Replaces the secrets (token refresh), keeping the rest. */
  async updateSecrets(id: string, update: (secrets: ConnectionSecrets) => ConnectionSecrets, now = Date.now()): Promise<void> {
    const current = await this.require(id);
    await this.put(current.connection, update(current.secrets), now);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, id)) === 1;
  }

  /** Reseals every stored secret with the current key (after a key rotation). Returns how many changed. */
  async reseal(): Promise<number> {
    let changed = 0;
    for (const [id, raw] of Object.entries(await this.redis.hgetall(this.key))) {
      const stored = storedSchema.parse(JSON.parse(raw));
      if (!this.box.isStale(stored.sealed)) continue;
      await this.redis.hset(this.key, id, JSON.stringify({ ...stored, sealed: this.box.reseal(stored.sealed, id) }));
      changed += 1;
    }
    return changed;
  }
}
