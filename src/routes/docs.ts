import { OpenAPIHono } from '@hono/zod-openapi';
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css';
import type { AppEnv } from '../env.js';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>seamline API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });</script>
</body>
</html>`;

const cacheFor = (seconds: number) => ({ 'cache-control': `public, max-age=${seconds}` });

/** OpenAPI document and a self-hosted Swagger UI (no CDN, so /docs works offline). */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'SEAMLINE_API_KEY (required by /v1/swap)' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'seamline',
      version: '0.1.0',
      description:
        'Face swap detection (Face X-Ray) and face swapping (FaceShifter) at the edge. Errors are RFC 9457 application/problem+json. ' +
        'Requests are rate-limited per client address (429 with Retry-After). Uploads larger than the analysis size are analysed ' +
        'scaled down, with coordinates given in the uploaded image\'s pixels; GET /health lists this deployment\'s limits. ' +
        'A known path asked with another method gets 405 with Allow. /v1/*, /health and /openapi.json answer cross-origin ' +
        'requests (CORS) from the origins in CORS_ORIGINS, by default any: no cookies are used, the swap key is a Bearer header. ' +
        'Every answer carries X-Request-Id (the client\'s own when it sends a short plain one); quote it when reporting a problem.',
      license: { name: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
  });
  const docs = new OpenAPIHono<AppEnv>();
  docs.get('/docs', (c) => c.html(page));
  docs.get('/docs/swagger-ui-bundle.js', (c) => c.body(swaggerBundle, 200, { 'content-type': 'text/javascript; charset=utf-8', ...cacheFor(86400) }));
  docs.get('/docs/swagger-ui.css', (c) => c.body(swaggerCss, 200, { 'content-type': 'text/css; charset=utf-8', ...cacheFor(86400) }));
  app.route('/', docs);
}
