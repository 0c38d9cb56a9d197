/**
 * @module cli/commands/not-available
 * Routes still being rolled out: a 404 from the server becomes a clear message and exit code 2.
 */
import { SeamlineError } from '../../errors.js';

export async function notAvailable(what: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    // A missing route, not a missing thing the route looked up (`model-not-found`, `job-not-found`).
    if (error instanceof SeamlineError && error.status === 404 && !error.code.endsWith('-not-found')) {
      console.error(`seamline: ${what}: not available on this server (404)`);
      return 2;
    }
    throw error;
  }
}
