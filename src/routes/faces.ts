import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { imageGuard } from '../middleware/image-guard/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { findFaces } from '../pipeline/faces.js';
import { FacesResponseSchema } from '../schemas/faces.js';
import { imageBody, imageProblems, rateLimitProblem } from './openapi.js';

const route = createRoute({
  method: 'post',
  path: '/v1/faces',
  tags: ['faces'],
  summary: 'Find faces, key points, 468-point landmarks and head pose',
  description:
    'Coordinates are image pixels after EXIF rotation. Faces are returned largest first, at most MAX_FACES (default 8); ' +
    '`truncated` says when more were found. Faces smaller than 16 px are not reported; an image without faces gives `faces: []`.',
  middleware: [rateLimit({ binding: 'SCAN_RATE_LIMIT' }), imageGuard()] as const,
  request: { body: imageBody() },
  responses: {
    200: { description: 'Faces found (possibly none)', content: { 'application/json': { schema: FacesResponseSchema } } },
    ...imageProblems,
    ...rateLimitProblem,
  },
});

export const faces = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const { image } = c.var.image;
  const maxFaces = Number(c.env.MAX_FACES) || 8;
  const result = await findFaces(image, { maxFaces });
  return c.json(
    { width: image.width, height: image.height, faces: result.faces, ...(result.truncated ? { truncated: true } : {}) },
    200,
  );
});
