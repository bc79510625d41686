/**
 * The API reference page (/docs/api): Swagger UI from the swagger-ui-dist
 * npm package, served locally (no CDN: air-gapped networks), reading
 * /api/v1/openapi.json. Scripts are files of this origin, as the CSP asks.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { Router } from 'express';

const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tài liệu API — Đúng hạn</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/swagger-ui/swagger-ui.css"></head>
<body><div id="api-reference"></div>
<script src="/assets/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/docs/api/init.js"></script>
</body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#api-reference', deepLinking: true, displayOperationId: true });\n`;

export function apiDocsRouter(): Router {
  const router = Router();
  router.use('/assets/swagger-ui', express.static(SWAGGER_DIR, { immutable: true, maxAge: '30d', index: false }));
  router.get('/docs/api', (_req, res) => {
    res.type('html').send(PAGE);
  });
  // The letters' print button (a script file: the CSP allows no inline script).
  router.get('/assets/print.js', (_req, res) => {
    res.type('application/javascript').send("document.getElementById('print')?.addEventListener('click', () => window.print());\n");
  });
  router.get('/docs/api/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  return router;
}
