/**
 * What the Bayeux endpoint knows about each client session: the access token it handshook with (re-checked on every
 * /meta/connect, so a revoked token ends the session) and, between a /meta/subscribe request and the engine's
 * subscribe, where each requested channel starts.
 */

export interface SessionGrant {
  accessToken: string;
  userId: string;
}

export class SessionRegistry {
  private readonly grants = new Map<string, SessionGrant>();
  private readonly starts = new Map<string, Map<string, number>>();

  bind(clientId: string, grant: SessionGrant): void {
    this.grants.set(clientId, grant);
  }

  grantOf(clientId: string | undefined): SessionGrant | undefined {
    return clientId === undefined ? undefined : this.grants.get(clientId);
  }

  /** Records where the client's subscription to the channel starts (a replay id, -1 or -2). */
  setStart(clientId: string, channel: string, replayId: number): void {
    let byChannel = this.starts.get(clientId);
    if (byChannel === undefined) {
      byChannel = new Map();
      this.starts.set(clientId, byChannel);
    }
    byChannel.set(channel, replayId);
  }

  /** Takes (and forgets) the recorded start; undefined when none was recorded. */
  takeStart(clientId: string, channel: string): number | undefined {
    const byChannel = this.starts.get(clientId);
    const start = byChannel?.get(channel);
    byChannel?.delete(channel);
    if (byChannel?.size === 0) this.starts.delete(clientId);
    return start;
  }

  forget(clientId: string): void {
    this.grants.delete(clientId);
    this.starts.delete(clientId);
  }

  get size(): number {
    return this.grants.size;
  }
}
