import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { ProblemError, isProblem } from './problem.js';
import { health } from './routes/health.js';
import { imageInfo } from './routes/image-info.js';
import { faces } from './routes/faces.js';
import { xray } from './routes/xray.js';
import { swap } from './routes/swap.js';
import { jobs } from './routes/jobs.js';
import { mountDocs } from './routes/docs.js';
import { web } from './routes/web.js';

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    // zod validation failures become 400 problem+json instead of Hono's default body.
    defaultHook: (result) => {
      if (!result.success) {
        throw new ProblemError(400, 'invalid-request', result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
      }
    },
  });

  app.route('/', health);
  app.route('/', imageInfo);
  app.route('/', faces);
  app.route('/', xray);
  app.route('/', swap);
  app.route('/', jobs);
  mountDocs(app);
  app.route('/', web);

  app.notFound((c) => new ProblemError(404, 'not-found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`).toResponse());
  app.onError((error, c) => {
    if (isProblem(error)) return error.toResponse(new URL(c.req.url).pathname);
    console.error('unhandled error', error);
    return new ProblemError(500, 'internal', 'The server could not process this request.').toResponse(new URL(c.req.url).pathname);
  });
  return app;
}
