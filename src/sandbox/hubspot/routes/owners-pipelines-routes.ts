/** Owners (`/crm/v3/owners`) and pipelines (`/crm/v3/pipelines/{objectType}`). */
import { Router } from 'express';
import { HubSpotHttpError, badRequest } from '../http/hubspot-error.js';
import { objectTypeParam } from '../http/object-json.js';
import { queryBool, queryInt, queryString } from '../http/query.js';
import { requireScopes, type HubSpotServices } from '../http/services.js';
import { OBJECT_SCOPES, OWNERS_SCOPE } from '../oauth/scopes.js';
import type { Owner } from '../store/owners.js';
import type { Pipeline, PipelineStage } from '../store/pipelines.js';
import { isoString } from '../../../platform/iso-time.js';

function ownerJson(owner: Owner) {
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: isoString(owner.createdAt),
    updatedAt: isoString(owner.updatedAt),
    archived: owner.archived,
    teams: owner.teams,
  };
}

function stageJson(stage: PipelineStage) {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    metadata: stage.metadata,
    createdAt: isoString(stage.createdAt),
    updatedAt: isoString(stage.updatedAt),
    archived: stage.archived,
    writePermissions: 'CRUD_ALL',
  };
}

function pipelineJson(pipeline: Pipeline) {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.map(stageJson),
    createdAt: isoString(pipeline.createdAt),
    updatedAt: isoString(pipeline.updatedAt),
    archived: pipeline.archived,
  };
}

export function ownersPipelinesRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();

  // The client asks for `/crm/v3/owners/` (the slash is stripped when there is no query); routing
  // is not strict, so both forms land here.
  router.get('/crm/v3/owners', (req, res) => {
    requireScopes(req, [OWNERS_SCOPE]);
    const limit = queryInt(req, 'limit', { min: 1, max: 500, fallback: 100 });
    const email = queryString(req, 'email');
    const owners = store.owners
      .list(queryBool(req, 'archived') ?? false)
      .filter((o) => email === undefined || o.email.toLowerCase() === email.toLowerCase());
    const after = queryString(req, 'after');
    const start = after === undefined ? 0 : owners.findIndex((o) => o.id === after);
    if (start < 0) throw badRequest(`after must be a cursor from a previous page, got "${after ?? ''}"`);
    const page = owners.slice(start, start + limit);
    const next = owners[start + limit];
    res.json(
      next === undefined
        ? { results: page.map(ownerJson) }
        : { results: page.map(ownerJson), paging: { next: { after: next.id, link: `?after=${next.id}` } } },
    );
  });

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    requireScopes(req, [OWNERS_SCOPE]);
    const archived = queryBool(req, 'archived') ?? false;
    const idProperty = queryString(req, 'idProperty') ?? 'id';
    if (idProperty !== 'id' && idProperty !== 'userId') throw badRequest(`idProperty must be id or userId, got "${idProperty}"`);
    const owner =
      idProperty === 'userId' ? store.owners.getByUserId(Number(req.params.ownerId), archived) : store.owners.get(req.params.ownerId, archived);
    if (owner === undefined) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `Owner ${req.params.ownerId} does not exist`, { context: { id: [req.params.ownerId] } });
    }
    res.json(ownerJson(owner));
  });

  const pipelineScopes = [OBJECT_SCOPES.deals.read, OBJECT_SCOPES.deals.write, OBJECT_SCOPES.deals.schemaRead];
  const dealsOnly = (value: string) => {
    if (objectTypeParam(value) !== 'deals') throw badRequest(`The sandbox has pipelines for deals only; got ${value}.`);
  };

  router.get('/crm/v3/pipelines/:objectType', (req, res) => {
    dealsOnly(req.params.objectType);
    requireScopes(req, pipelineScopes);
    res.json({ results: store.pipelines.list().map(pipelineJson) });
  });

  const findPipeline = (pipelineId: string) => {
    const pipeline = store.pipelines.get(pipelineId);
    if (pipeline === undefined) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `Pipeline ${pipelineId} does not exist`, { context: { pipelineId: [pipelineId] } });
    }
    return pipeline;
  };

  router.get('/crm/v3/pipelines/:objectType/:pipelineId', (req, res) => {
    dealsOnly(req.params.objectType);
    requireScopes(req, pipelineScopes);
    res.json(pipelineJson(findPipeline(req.params.pipelineId)));
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages', (req, res) => {
    dealsOnly(req.params.objectType);
    requireScopes(req, pipelineScopes);
    res.json({ results: findPipeline(req.params.pipelineId).stages.map(stageJson) });
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (req, res) => {
    dealsOnly(req.params.objectType);
    requireScopes(req, pipelineScopes);
    const stage = findPipeline(req.params.pipelineId).stages.find((s) => s.id === req.params.stageId);
    if (stage === undefined) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `Stage ${req.params.stageId} does not exist in pipeline ${req.params.pipelineId}`, {
        context: { stageId: [req.params.stageId] },
      });
    }
    res.json(stageJson(stage));
  });

  return router;
}
