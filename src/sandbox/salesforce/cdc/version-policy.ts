/**
 * The Bayeux endpoint is /cometd/<version>, like the REST API's /services/data/v<version>. The sandbox serves the
 * versions its REST API serves (50.0 to 64.0); the version is required in the URL.
 */
import { versionMissing, versionUnsupported } from './bayeux-errors.js';

export const COMETD_MOUNT = '/cometd';
export const MIN_API_VERSION = '50.0';
export const MAX_API_VERSION = '64.0';
export const DEFAULT_API_VERSION = '62.0';

const VERSION = /^\d{2}\.0$/;

export function isSupportedVersion(version: string): boolean {
  if (!VERSION.test(version)) return false;
  const n = Number(version);
  return n >= Number(MIN_API_VERSION) && n <= Number(MAX_API_VERSION);
}

export class VersionPolicy {
  constructor(readonly defaultVersion: string = DEFAULT_API_VERSION) {
    if (!isSupportedVersion(defaultVersion)) {
      throw new Error(`API version ${defaultVersion} is outside ${MIN_API_VERSION}–${MAX_API_VERSION}`);
    }
  }

  /** The endpoint path for a version. */
  endpoint(version: string = this.defaultVersion): string {
    return `${COMETD_MOUNT}/${version}`;
  }

  /** undefined when the request URL names a supported version; else the Bayeux error to answer with. */
  check(url: string | undefined): string | undefined {
    const path = new URL(url ?? '/', 'http://sandbox.invalid').pathname.replace(/\/+$/, '');
    if (!path.startsWith(`${COMETD_MOUNT}/`)) return versionMissing(this.defaultVersion);
    const version = path.slice(COMETD_MOUNT.length + 1).split('/')[0] ?? '';
    return isSupportedVersion(version) ? undefined : versionUnsupported(MIN_API_VERSION, this.defaultVersion);
  }
}

/** Whether an HTTP request path belongs to the Bayeux endpoint. */
export function isCometdPath(pathname: string): boolean {
  return pathname === COMETD_MOUNT || pathname.startsWith(`${COMETD_MOUNT}/`);
}
