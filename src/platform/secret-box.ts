/**
 * Encryption of stored secrets (OAuth tokens, private-app tokens) with AES-256-GCM. Each ciphertext
 * names the key that sealed it, so keys can be rotated: the current key seals, earlier keys still
 * open what they sealed, and `reseal` moves a value to the current key.
 *
 * Format: "rl1.<keyId>.<iv>.<tag>.<ciphertext>", base64url parts; keyId = the first 8 bytes of
 * SHA-256 of the key, in hex.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { RevloopError } from './errors.js';

const VERSION = 'rl1';

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const k of [currentKey, ...previousKeys]) {
      if (k.length !== 32) throw new RevloopError('ENV_INVALID', 'encryption keys must be 32 bytes');
      this.keys.set(keyId(k), k);
    }
    this.current = { id: keyId(currentKey), key: currentKey };
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Opens a sealed value; `context` must be the one it was sealed with (binds it to its record). */
  open(sealed: string, context = ''): string {
    const [version, id, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !tag || data === undefined) throw new RevloopError('BAD_REQUEST', 'not a sealed secret');
    const key = this.keys.get(id);
    if (!key) throw new RevloopError('ENV_INVALID', `a stored secret was sealed with key ${id}, which is neither REVLOOP_ENCRYPTION_KEY nor one of REVLOOP_ENCRYPTION_PREVIOUS_KEYS`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (err) {
      throw new RevloopError('BAD_REQUEST', 'a stored secret failed its integrity check (tampered with, or moved to another record)', { cause: err });
    }
  }

  /** Whether a sealed value needs resealing with the current key. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }

  reseal(sealed: string, context = ''): string {
    return this.isStale(sealed) ? this.seal(this.open(sealed, context), context) : sealed;
  }
}
