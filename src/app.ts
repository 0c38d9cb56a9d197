import { OpenAPIHono } from '@hono/zod-openapi';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './env.js';
import { ProblemError, isProblem } from './problem.js';
import { health } from './routes/health.js';
import { imageInfo } from './routes/image-info.js';
import { faces } from './routes/faces.js';
import { xray } from './routes/xray.js';
import { swap } from './routes/swap.js';
import { jobs } from './routes/jobs.js';
import { models } from './routes/models.js';
import { mountDocs } from './routes/docs.js';
import { web } from './routes/web.js';
import { publicCors } from './middleware/cors/index.js';
import { requestIds } from './middleware/request-id/index.js';

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    // zod validation failures become 400 problem+json instead of Hono's default body.
    defaultHook: (result) => {
      if (!result.success) {
        throw new ProblemError(400, 'invalid-request', result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
      }
    },
  });

  // Every answer names its request, and so does the log line of a failure.
  app.use(requestIds());
  // nosniff, frame and referrer policies, HSTS and COOP on every answer: the API returns user pictures and the demo is a page.
  // Resources stay embeddable cross-origin (a CMS page may show a job's result video): CORS already lets any page read them.
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  // Before the routes, so preflights and the headers of every answer (problems included) get CORS.
  const cors = publicCors();
  for (const path of ['/v1/*', '/health', '/openapi.json']) app.use(path, cors);
  // A known path asked with another method: 405 with Allow, not the 404 of an unknown path.
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => new ProblemError(405, 'method-not-allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`, { allow: methods })
      .toResponse(new URL(c.req.url).pathname, { allow: methods.join(', ') }),
  }));

  app.route('/', health);
  app.route('/', imageInfo);
  app.route('/', faces);
  app.route('/', xray);
  app.route('/', swap);
  app.route('/', jobs);
  app.route('/', models);
  mountDocs(app);
  app.route('/', web);

  app.notFound((c) => new ProblemError(404, 'not-found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`).toResponse());
  app.onError((error, c) => {
    if (isProblem(error)) return error.toResponse(new URL(c.req.url).pathname);
    const id = c.get('requestId');
    console.error(`unhandled error in request ${id}`, error);
    return new ProblemError(500, 'internal', `The server could not process this request; quote request ${id} when reporting it.`, { requestId: id })
      .toResponse(new URL(c.req.url).pathname);
  });
  return app;
}
