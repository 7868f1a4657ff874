/**
 * The Salesforce simulator as an express app (for embedding; index.ts starts it on a port): OAuth, REST (sObjects,
 * Collections, Composite, SOQL), Bulk API 2.0, the partner SOAP endpoint for convertLead, and the /__sandbox control
 * endpoints. /cometd is deliberately left unanswered so a Bayeux adapter attached to the server can own it.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { CallCounter } from '../../common/call-counter.js';
import { FaultInjector } from '../../common/faults.js';
import { oauthRouter, type ConnectedApp } from '../auth/oauth-routes.js';
import { TokenStore, type Session } from '../auth/token-store.js';
import { BulkJobs } from '../bulk/bulk-jobs.js';
import { controlRouter } from '../control/control-routes.js';
import { parseSandboxOptions, type SalesforceSandboxOptions, MIN_API_VERSION, MAX_API_VERSION } from '../options.js';
import { soapHandler } from '../soap/soap-route.js';
import { SalesforceStore } from '../store/salesforce-store.js';
import { apiGate } from './api-gate.js';
import { ApiUsage } from './api-usage.js';
import { renderInjectedFault } from './fault-render.js';
import { QueryCursors } from './query-cursors.js';
import { sendErrors } from './responses.js';
import { mountRoutes, type RestDeps } from './rest-route.js';
import { restRoutes } from './rest-routes.js';

const RELEASES = ['Winter', 'Spring', 'Summer'] as const;

/** `GET /services/data/`: the versions this simulator serves, labelled as Salesforce labels them. */
function versionList(): Array<{ label: string; url: string; version: string }> {
  const out = [];
  for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
    const index = v - MIN_API_VERSION;
    const season = RELEASES[index % 3] ?? 'Winter';
    const year = 21 + Math.floor(index / 3);
    out.push({ label: `${season} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

export interface SalesforceApp {
  app: Express;
  store: SalesforceStore;
  tokens: TokenStore;
  usage: ApiUsage;
  counter: CallCounter;
  faults: FaultInjector;
  jobs: BulkJobs;
  connectedApp: ConnectedApp;
  version: string;
  /** The integration user's long-lived session. */
  accessToken: string;
  /** Sets the public origin (after listen); until then the request's Host is used. */
  setOrigin(origin: string): void;
  /** The session of an access token, for other transports (the CDC Bayeux handshake). */
  verifyAccessToken(token: string): Session | undefined;
  /** Stops background work (bulk jobs). */
  stop(): void;
}

function isApiPath(path: string): boolean {
  return path.startsWith('/services/') || path.startsWith('/id/');
}

export function createSalesforceApp(input: SalesforceSandboxOptions = {}): SalesforceApp {
  const options = parseSandboxOptions(input);
  const now = options.now ?? Date.now;
  const store = new SalesforceStore({
    now,
    version: options.version,
    bareOrg: options.bareOrg,
    users: options.users,
    ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
    ...(options.customFields === undefined ? {} : { customFields: options.customFields }),
  });
  const pod = store.orgId.slice(3, 5);
  const tokens = new TokenStore(store.orgId.slice(0, 15), now, options.tokenTtlSeconds * 1000);
  const accessToken = tokens.issue(store.integrationUserId, undefined, ['api', 'id', 'web', 'refresh_token'], {
    ttlMs: Infinity,
    ...(options.accessToken === undefined ? {} : { token: options.accessToken }),
  }).token;
  const usage = new ApiUsage(options.dailyApiLimit, now);
  const counter = new CallCounter();
  const faults = new FaultInjector(options.faults ?? {});
  const jobs = new BulkJobs(store, pod, options.bulkJobDelayMs);
  const cursors = new QueryCursors(pod, now);
  const connectedApp: ConnectedApp = {
    name: 'revloop',
    clientId: options.clientId ?? `3MVG9${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x')}`,
    clientSecret: options.clientSecret ?? randomBytes(32).toString('hex').toUpperCase(),
    redirectUris: options.redirectUris,
    jwtPublicKeyPem: options.jwtPublicKeyPem,
  };
  let origin: string | undefined;
  const originOf = (req: Request): string => origin ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  const deps: RestDeps = {
    store,
    cursors,
    usage,
    settings: { queryPageSize: options.queryPageSize, originOf },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(counter.middleware({ ignore: (path) => !isApiPath(path) }));
  app.use(faults.middleware(renderInjectedFault, { ignore: (path) => !isApiPath(path) }));

  app.use(oauthRouter({ store, tokens, app: connectedApp, origin: originOf }));
  app.get('/services/data', (_req: Request, res: Response) => {
    res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.end(JSON.stringify(versionList()));
  });

  const data = express.Router({ mergeParams: true });
  mountRoutes(data, restRoutes(jobs, options.bulkQueryPageSize), deps);
  data.use((_req: Request, res: Response) => sendErrors(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]));
  app.use(
    '/services/data/:version',
    apiGate(tokens, usage),
    express.json({ limit: '50mb', strict: false, type: ['application/json', 'application/*+json'] }),
    express.text({ limit: '150mb', type: ['text/csv'] }),
    data,
  );

  app.post(
    '/services/Soap/u/:version',
    express.text({ limit: '50mb', type: ['text/xml', 'application/xml', 'application/soap+xml'] }),
    soapHandler({ store, tokens, usage }),
  );

  app.use('/__sandbox', controlRouter({ store, counter, faults, usage, tokens }));

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/cometd')) return next();
    sendErrors(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : 500;
    const type = typeof err === 'object' && err !== null && 'type' in err ? String((err as { type: unknown }).type) : '';
    if (type === 'entity.parse.failed') {
      sendErrors(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: `Unexpected character in the request body: ${err instanceof Error ? err.message : ''}` }]);
    } else if (type === 'entity.too.large') {
      sendErrors(res, 413, [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'The request body is too large' }]);
    } else {
      sendErrors(res, Number.isInteger(status) && status >= 400 ? status : 500, [
        { errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${err instanceof Error ? err.message : String(err)} (${req.method} ${req.path})` },
      ]);
    }
  });

  return {
    app,
    store,
    tokens,
    usage,
    counter,
    faults,
    jobs,
    connectedApp,
    version: options.version,
    accessToken,
    setOrigin: (value: string) => {
      origin = value.replace(/\/+$/, '');
    },
    verifyAccessToken: (token: string) => tokens.verify(token),
    stop: () => jobs.stop(),
  };
}
