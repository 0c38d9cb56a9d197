import { createApp } from './app.js';
import type { Bindings } from './env.js';
import { consumeJobs } from './jobs/consumer.js';

/** Durable Object class for wrangler.toml's JOBS_DO binding. */
export { JobCoordinator } from './jobs/coordinator.js';

const app = createApp();

export default {
  fetch: app.fetch,
  /** `seamline-jobs` consumer: hands each WorkRequest to the origin (src/jobs/consumer.ts). */
  queue: consumeJobs,
} satisfies ExportedHandler<Bindings>;
