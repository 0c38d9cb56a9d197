/**
 * @module origin/workdir
 * Local scratch space per job: the input video is downloaded once per origin and reused by every
 * step that lands here (probe, chunks, assemble); a copy is only ever complete (written, then
 * renamed), so a SIGKILLed origin restarts with either a good copy or none.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EdgeClient } from './edge-client.js';

export type WorkDir = {
  root: string;
  /** The job's folder (created). */
  job(jobId: string): Promise<string>;
  /** Path of the job's input video, downloaded if this origin has no complete copy. */
  input(jobId: string, edge: EdgeClient, maxBytes: number): Promise<string>;
  /** A fresh scratch path inside the job folder. */
  scratch(jobId: string, name: string): Promise<string>;
  remove(jobId: string): Promise<void>;
  /** Deletes job folders untouched for `maxAgeMs`. */
  sweep(maxAgeMs: number): Promise<void>;
};

const safe = (jobId: string) => {
  if (!/^[\w.-]{1,128}$/.test(jobId) || jobId.startsWith('.')) throw new Error(`unsafe job id ${JSON.stringify(jobId)}`);
  return jobId;
};

export function createWorkDir(root: string): WorkDir {
  const downloads = new Map<string, Promise<string>>();
  const job = async (jobId: string) => {
    const dir = join(root, safe(jobId));
    await mkdir(dir, { recursive: true });
    return dir;
  };
  let counter = 0;
  return {
    root,
    job,
    async input(jobId, edge, maxBytes) {
      const file = join(await job(jobId), 'input');
      if (existsSync(file)) return file;
      let pending = downloads.get(jobId);
      if (!pending) {
        pending = edge.downloadInput(jobId, file, maxBytes).then(() => file).finally(() => downloads.delete(jobId));
        downloads.set(jobId, pending);
      }
      return pending;
    },
    async scratch(jobId, name) {
      return join(await job(jobId), `${process.pid}-${++counter}-${name}`);
    },
    async remove(jobId) {
      await rm(join(root, safe(jobId)), { recursive: true, force: true });
    },
    async sweep(maxAgeMs) {
      const entries = await readdir(root).catch(() => [] as string[]);
      for (const name of entries) {
        const info = await stat(join(root, name)).catch(() => null);
        if (info && Date.now() - info.mtimeMs > maxAgeMs) await rm(join(root, name), { recursive: true, force: true });
      }
    },
  };
}
