import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { maxFacesOf, type AppEnv } from '../env.js';
import { imageGuard } from '../middleware/image-guard/index.js';
import { isolateGate } from '../middleware/isolate-gate/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { faceInOriginal, findFaces, MIN_FACE_SIZE } from '../pipeline/faces.js';
import { FacesResponseSchema } from '../schemas/faces.js';
import { imageBody, imageProblems, rateLimitProblem, busyProblem } from './openapi.js';

const route = createRoute({
  method: 'post',
  path: '/v1/faces',
  tags: ['faces'],
  summary: 'Find faces, key points, 468-point landmarks and head pose',
  description:
    'Coordinates are pixels of the uploaded image after EXIF rotation (uploads over MAX_ANALYSIS_PIXELS, default 2 MP, are analysed ' +
    'scaled down and their coordinates scaled back). Faces are returned largest first, at most MAX_FACES (default 8); ' +
    '`truncated` says when more were found. Faces smaller than 16 px are not reported; an image without faces gives `faces: []`.',
  middleware: [rateLimit({ binding: 'SCAN_RATE_LIMIT' }), isolateGate(), imageGuard()] as const,
  request: { body: imageBody() },
  responses: {
    200: { description: 'Faces found (possibly none)', content: { 'application/json': { schema: FacesResponseSchema } } },
    ...imageProblems,
    ...rateLimitProblem,
    ...busyProblem,
  },
});

export const faces = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const { image, scale, size } = c.var.image;
  const maxFaces = maxFacesOf(c.env);
  // The 16 px floor is in uploaded pixels, whatever size the image was analysed at.
  const result = await findFaces(image, { maxFaces, minFaceSize: MIN_FACE_SIZE * scale });
  return c.json(
    {
      width: size.width,
      height: size.height,
      faces: result.faces.map((face) => faceInOriginal(face, scale)),
      ...(result.truncated ? { truncated: true } : {}),
    },
    200,
  );
});
