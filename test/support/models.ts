/**
 * Workers whose MODELS R2 bucket is seeded with the big model files (model=aei, the web demo's in-browser ORT wasm):
 * tools/seed-models.mjs writes into a fresh temp persist dir, and the worker starts with `persist` pointing at it,
 * so tests never touch (or depend on) the developer's .wrangler/state.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, type StartWorkerOptions, type WorkerHandle } from './worker.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh temp persist dir with the MODELS objects put into it (`seed: false` leaves the bucket empty). */
export function seededPersistDir({ seed = true }: { seed?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'seamline-r2-'));
  if (seed) execFileSync(process.execPath, [join(root, 'tools/seed-models.mjs'), '--persist-to', dir, '--quiet'], { cwd: root, stdio: 'pipe' });
  return dir;
}

/** startWorker on a seeded (or, with `seed: false`, empty) temp persist dir; stop() also removes the dir. */
export async function startSeededWorker(
  vars: Record<string, string> = {}, options: Omit<StartWorkerOptions, 'persist'> & { seed?: boolean } = {},
): Promise<WorkerHandle & { persist: string }> {
  const { seed, ...rest } = options;
  const persist = seededPersistDir({ seed });
  const worker = await startWorker(vars, { ...rest, persist });
  return {
    ...worker,
    persist,
    stop: async () => {
      await worker.stop();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
