/**
 * /api/connections/:id/mappings/validate and /preview: a mapping change (any of the four files as
 * text; the others are the connection's files in force) checked with file:line problems, and its
 * impact on a sample of people (who would change stage, which fields would change) or, with
 * `whole: true`, on the whole base streamed as JSON lines, writing nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { checkMappingTexts, type MappingTexts } from '../../../config/mapping/load.js';
import { MAPPING_FILES, type MappingFileKey } from '../../../config/mapping/mapping-set.js';
import { MAX_FILE_BYTES } from '../../../config/mapping/yaml-source.js';
import { RevloopError } from '../../../platform/errors.js';
import { preview } from '../../../worker/preview/run-preview.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { idParam } from './connections-routes.js';

const fileText = z.string().max(MAX_FILE_BYTES, `a mapping file is limited to ${MAX_FILE_BYTES} bytes`);
const changeBody = z.strictObject({
  files: z.strictObject({ lifecycle: fileText.optional(), contacts: fileText.optional(), companies: fileText.optional(), opportunities: fileText.optional() }).default({}),
  /** Preview only: people planned (the sample). */
  sample: z.number().int().min(1).max(5000).default(500),
  /** Preview only: after the sample, the whole base, streamed as JSON lines (sample, progress, final). */
  whole: z.boolean().default(false),
});

async function textsFor(deps: ServerDeps, id: string, files: Partial<Record<MappingFileKey, string>>): Promise<MappingTexts> {
  const { connection } = await deps.connections.require(id);
  const dir = connection.mappingsDir ?? deps.defaultMappingsDir;
  const texts = {} as MappingTexts;
  for (const key of Object.keys(MAPPING_FILES) as MappingFileKey[]) {
    const name = MAPPING_FILES[key];
    const given = files[key];
    if (given !== undefined) texts[key] = { file: `${name} (submitted)`, text: given };
    else texts[key] = await readFile(join(dir, name), 'utf8').then((text) => ({ file: join(dir, name), text }), () => undefined);
  }
  return texts;
}

export function mappingsRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.post('/connections/:id/mappings/validate', requireScope('read'), async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const body = parseInput(changeBody, req.body, 'body');
    const result = checkMappingTexts(await textsFor(deps, id, body.files));
    res.json({ valid: result.errors === 0, errors: result.errors, warnings: result.warnings, problems: result.problems });
  });

  router.post('/connections/:id/mappings/preview', requireScope('admin'), async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const body = parseInput(changeBody, req.body, 'body');
    const checked = checkMappingTexts(await textsFor(deps, id, body.files));
    if (!checked.set) {
      throw new RevloopError('CONFIG_INVALID', `the changed mappings have ${checked.errors} errors; validate them first`, { details: { problems: checked.problems.filter((p) => p.severity === 'error').slice(0, 50) } });
    }
    const warnings = checked.problems.filter((p) => p.severity === 'warning');
    const ctx = await deps.registry.get(id);
    if (!body.whole) {
      const result = await preview(ctx, { changed: checked.set, sample: body.sample, sampleOnly: true });
      res.json({ sampled: result.sampled, seconds: result.seconds, pairs: result.pairs, warnings });
      return;
    }
    // The whole base: one JSON line per report as it comes (a progress line per unit of 2,000 people).
    res.status(200).type('application/x-ndjson');
    res.write(`${JSON.stringify({ kind: 'started', warnings })}\n`);
    try {
      const result = await preview(ctx, { changed: checked.set, sample: body.sample, onReport: (r) => res.write(`${JSON.stringify(r)}\n`) });
      res.end(`${JSON.stringify({ kind: 'done', seconds: result.seconds })}\n`);
    } catch (err) {
      // The status line is gone: the failure is the last line.
      res.end(`${JSON.stringify({ kind: 'error', error: err instanceof RevloopError ? err.toJSON() : { code: 'INTERNAL', message: 'the preview failed' } })}\n`);
    }
  });

  return router;
}
