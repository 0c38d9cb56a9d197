import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { imageGuard } from '../middleware/image-guard/index.js';
import { isolateGate } from '../middleware/isolate-gate/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { imageBody, imageProblems, rateLimitProblem, busyProblem } from './openapi.js';

const ImageInfoSchema = z
  .object({
    format: z.enum(['jpeg', 'png', 'webp']),
    width: z.number().int().openapi({ description: 'Display width, after EXIF orientation' }),
    height: z.number().int().openapi({ description: 'Display height, after EXIF orientation' }),
    orientation: z.number().int().min(1).max(8).openapi({ description: 'EXIF orientation found in the file (already applied to width/height)' }),
    animated: z.boolean().openapi({ description: 'Always false here: animated images are refused with 422 animated-image' }),
    colorModel: z.enum(['gray', 'gray-alpha', 'rgb', 'rgba', 'indexed', 'cmyk', 'ycck']),
  })
  .openapi('ImageInfo');

const route = createRoute({
  method: 'post',
  path: '/v1/image-info',
  tags: ['images'],
  summary: 'Check an image upload',
  description:
    'Decodes the image exactly as the scan and swap routes do and reports what was found, so clients can pre-check uploads. ' +
    'Limits: MAX_IMAGE_BYTES (default 10 MiB) and MAX_IMAGE_PIXELS (default 25 MP).',
  middleware: [rateLimit({ binding: 'SCAN_RATE_LIMIT' }), isolateGate(), imageGuard()] as const,
  request: { body: imageBody() },
  responses: {
    200: { description: 'The image decodes', content: { 'application/json': { schema: ImageInfoSchema } } },
    ...imageProblems,
    ...rateLimitProblem,
    ...busyProblem,
  },
});

export const imageInfo = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { info, size } = c.var.image;
  return c.json(
    {
      format: info.format as 'jpeg' | 'png' | 'webp',
      width: size.width,
      height: size.height,
      orientation: info.orientation,
      animated: info.animated,
      colorModel: info.colorModel as z.infer<typeof ImageInfoSchema>['colorModel'],
    },
    200,
  );
});
