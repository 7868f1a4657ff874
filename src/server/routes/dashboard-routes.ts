/**
 * The dashboard at `/`: static HTML, CSS and a script served from this package (Chart.js from
 * node_modules, no CDN); the page reads everything through the admin API with the session cookie.
 * Without a session, `/` sends the browser to the sign-in page.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboard', 'public');
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

export function dashboardRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (!req.principal) {
      res.redirect(303, '/login');
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(join(DASHBOARD_DIR, 'index.html'));
  });
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  router.get('/assets/vendor/chart.umd.min.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(CHART_JS);
  });
  router.use('/assets', express.static(DASHBOARD_DIR, { index: false, maxAge: '5m' }));
  return router;
}
