/** Every REST resource under /services/data/vXX.X, in matching order (specific paths before generic ones). */
import { bulkRoutes } from '../bulk/bulk-routes.js';
import type { BulkJobs } from '../bulk/bulk-jobs.js';
import type { RestRoute } from './rest-route.js';
import { collectionRoutes } from './routes/collections.js';
import { compositeRoute } from './routes/composite.js';
import { queryRoutes } from './routes/query.js';
import { recordRoutes } from './routes/records.js';
import { replicationRoutes } from './routes/replication.js';
import { resourceRoutes } from './routes/resources.js';
import { sobjectRoutes } from './routes/sobjects.js';

export function restRoutes(jobs: BulkJobs, bulkQueryPageSize: number): RestRoute[] {
  const routes: RestRoute[] = [];
  routes.push(
    ...resourceRoutes,
    ...queryRoutes,
    ...sobjectRoutes,
    ...replicationRoutes,
    ...recordRoutes,
    ...collectionRoutes,
    compositeRoute(() => routes),
    ...bulkRoutes(jobs, bulkQueryPageSize),
  );
  return routes;
}
