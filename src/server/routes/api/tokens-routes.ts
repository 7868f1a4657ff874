/** /api/tokens: API tokens an admin creates (shown once; Redis keeps only their hash), lists and revokes; /api/session. */
import { Router } from 'express';
import { z } from 'zod';
import { RevloopError } from '../../../platform/errors.js';
import { ACCESS_SCOPES } from '../../../state/access-tokens.js';
import { requireScope } from '../../auth/admin-auth.js';
import type { Csrf } from '../../auth/csrf.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';

export function tokensRoutes(deps: ServerDeps, csrf: Csrf): Router {
  const router = Router();
  const admin = requireScope('admin');

  /** Who the caller is, and a CSRF token for the dashboard's own requests. */
  router.get('/session', requireScope('read'), (req, res) => {
    const p = req.principal;
    res.json({ scope: p?.scope, via: p?.via, csrfToken: csrf.token(req, res) });
  });

  router.get('/tokens', admin, async (_req, res) => {
    res.json({ tokens: await deps.accessTokens.listTokens() });
  });

  router.post('/tokens', admin, async (req, res) => {
    const body = parseInput(z.strictObject({ label: z.string().min(1).max(120), scope: z.enum(ACCESS_SCOPES) }), req.body, 'body');
    const { token, info } = await deps.accessTokens.createToken(body.label, body.scope);
    deps.logger.info({ tokenId: info.id, scope: info.scope }, 'API token created');
    res.status(201).json({ ...info, token, note: 'shown once: revloop keeps only its hash' });
  });

  router.delete('/tokens/:tokenId', admin, async (req, res) => {
    const { tokenId } = parseInput(z.object({ tokenId: z.uuid() }), req.params, 'path');
    if (!(await deps.accessTokens.revokeToken(tokenId))) throw new RevloopError('NOT_FOUND', `no API token ${tokenId}`);
    res.json({ revoked: tokenId });
  });

  return router;
}
