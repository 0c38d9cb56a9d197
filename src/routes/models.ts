/**
 * @module routes/models
 * `GET /v1/models` and `GET /v1/models/{name}`: the model cards, so a client can see which model
 * judged its image (the X-ray answer names `model.name` and `model.version`), under which licence, and
 * what was measured on it, including what it misses.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { modelCard, modelSummaries } from '../model-cards.js';
import { ProblemError } from '../problem.js';
import { problem, rateLimitProblem } from './openapi.js';

const ModelFileSchema = z.object({ path: z.string(), dtype: z.string(), bytes: z.number().int(), sha256: z.string() }).openapi('ModelFile');

const ModelSummarySchema = z
  .object({
    name: z.string(),
    version: z.string().nullable().openapi({ description: 'Set for the models trained here; null for converted ones (their source package pins them)' }),
    task: z.string(),
    license: z.string(),
    delivery: z.enum(['bundled', 'r2', 'not-shipped']).openapi({
      description: '`bundled`: inside the worker; `r2`: loaded from the MODELS bucket on first use; `not-shipped`: evaluated, card only',
    }),
    files: z.array(ModelFileSchema),
  })
  .openapi('ModelSummary');

const ModelListSchema = z.object({ models: z.array(ModelSummarySchema) }).openapi('ModelList');
const ModelCardSchema = z.record(z.string(), z.unknown()).openapi('ModelCard', {
  description: 'The model card as shipped in models/<name>.card.json: source, licence, files, input and output spec, training or conversion, measured metrics, known limits',
});

const cacheFor = { 'cache-control': 'public, max-age=300' };
const limitRead = rateLimit({ binding: 'SCAN_RATE_LIMIT' });

const list = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['meta'],
  summary: 'The models this service ships, with licence, delivery and file hashes',
  middleware: [limitRead] as const,
  responses: { 200: { description: 'One summary per model card', content: { 'application/json': { schema: ModelListSchema } } }, ...rateLimitProblem },
});

const one = createRoute({
  method: 'get',
  path: '/v1/models/{name}',
  tags: ['meta'],
  summary: 'One model card, whole: how the model was made and what was measured on it',
  middleware: [limitRead] as const,
  request: { params: z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'xray' }) }) },
  responses: {
    200: { description: 'The card', content: { 'application/json': { schema: ModelCardSchema } } },
    404: problem('`model-not-found`: no model card has that name'),
    ...rateLimitProblem,
  },
});

export const models = new OpenAPIHono<AppEnv>()
  .openapi(list, (c) => c.json({ models: modelSummaries() }, 200, cacheFor))
  .openapi(one, (c) => {
    const { name } = c.req.valid('param');
    const card = modelCard(name);
    if (!card) throw new ProblemError(404, 'model-not-found', `No model card is called ${name}; GET /v1/models lists them.`, { name });
    return c.json(card, 200, cacheFor);
  });
