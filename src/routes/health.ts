import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ortWasmMemoryBytes } from '../adapter/workers/ort-wasm.js';
import type { AppEnv } from '../env.js';
import { kernels } from '../wasm/kernels.js';

const MemorySchema = z
  .object({
    onnxruntimeWasmBytes: z.number().int().nullable().openapi({ description: 'onnxruntime-web linear memory (models and their arena; grows, never shrinks); null before the first model ran' }),
    kernelsWasmBytes: z.number().int().openapi({ description: 'AssemblyScript kernels linear memory (grows to the largest call)' }),
  })
  .openapi('HealthMemory', { description: 'WebAssembly memory this isolate holds: most of what counts against the 128 MB isolate limit (the JS heap is not visible from inside)' });

const HealthSchema = z
  .object({ status: z.literal('ok'), service: z.literal('seamline'), version: z.string(), memory: MemorySchema })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness probe',
  responses: { 200: { description: 'Service is up', content: { 'application/json': { schema: HealthSchema } } } },
});

export const health = new OpenAPIHono<AppEnv>().openapi(route, (c) =>
  c.json({
    status: 'ok' as const, service: 'seamline' as const, version: '0.1.0',
    memory: { onnxruntimeWasmBytes: ortWasmMemoryBytes(), kernelsWasmBytes: kernels.memoryBytes() },
  }, 200),
);
