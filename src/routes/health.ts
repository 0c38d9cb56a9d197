import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';

const HealthSchema = z
  .object({ status: z.literal('ok'), service: z.literal('seamline'), version: z.string() })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness probe',
  responses: { 200: { description: 'Service is up', content: { 'application/json': { schema: HealthSchema } } } },
});

export const health = new OpenAPIHono<AppEnv>().openapi(route, (c) =>
  c.json({ status: 'ok' as const, service: 'seamline' as const, version: '0.1.0' }, 200),
);
