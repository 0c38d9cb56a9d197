import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ortWasmMemoryBytes } from '../adapter/workers/ort-wasm.js';
import { maxFacesOf, type AppEnv } from '../env.js';
import { imageLimits } from '../image/request.js';
import { isolateLoad } from '../middleware/isolate-gate/index.js';
import { kernels } from '../wasm/kernels.js';

const MemorySchema = z
  .object({
    onnxruntimeWasmBytes: z.number().int().nullable().openapi({ description: 'onnxruntime-web linear memory (models and their arena; grows, never shrinks); null before the first model ran' }),
    kernelsWasmBytes: z.number().int().openapi({ description: 'AssemblyScript kernels linear memory (grows to the largest call)' }),
  })
  .openapi('HealthMemory', { description: 'WebAssembly memory this isolate holds: most of what counts against the 128 MB isolate limit (the JS heap is not visible from inside)' });

const pixels = (description: string) => z.number().int().openapi({ description });
const LimitsSchema = z
  .object({
    maxImageBytes: z.number().int().openapi({ description: 'Largest image file (MAX_IMAGE_BYTES)' }),
    maxImagePixels: pixels('Largest width × height accepted (MAX_IMAGE_PIXELS)'),
    maxAnalysisPixels: pixels('Larger uploads are analysed scaled down to this (MAX_ANALYSIS_PIXELS)'),
    maxFullSizePixels: pixels('Largest swap target, which is kept at full size (MAX_FULL_SIZE_PIXELS)'),
    maxWholeDecodePixels: pixels('Largest PNG or WebP over the analysis size, as they are decoded whole (MAX_WHOLE_DECODE_PIXELS)'),
    maxFaces: z.number().int().openapi({ description: 'Faces analysed per image, largest first (MAX_FACES)' }),
  })
  .openapi('HealthLimits', { description: 'The limits this deployment applies to uploads, so that clients can scale images down before sending them' });

const LoadSchema = z
  .object({
    active: z.number().int().openapi({ description: 'Image requests running in this isolate (at most 1)' }),
    queued: z.number().int().openapi({ description: 'Image requests waiting in this isolate' }),
  })
  .openapi('HealthLoad');

const HealthSchema = z
  .object({ status: z.literal('ok'), service: z.literal('seamline'), version: z.string(), memory: MemorySchema, limits: LimitsSchema, load: LoadSchema })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness probe',
  responses: { 200: { description: 'Service is up', content: { 'application/json': { schema: HealthSchema } } } },
});

export const health = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { maxBytes, maxPixels, maxAnalysisPixels, maxFullSizePixels, maxWholeDecodePixels } = imageLimits(c.env);
  return c.json({
    status: 'ok' as const, service: 'seamline' as const, version: '0.1.0',
    memory: { onnxruntimeWasmBytes: ortWasmMemoryBytes(), kernelsWasmBytes: kernels.memoryBytes() },
    limits: {
      maxImageBytes: maxBytes, maxImagePixels: maxPixels, maxAnalysisPixels, maxFullSizePixels, maxWholeDecodePixels,
      maxFaces: maxFacesOf(c.env),
    },
    load: isolateLoad(),
  }, 200);
});
