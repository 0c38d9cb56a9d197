/**
 * @module cli/repo
 * Finds the seamline repository checkout (needed by `--local` and `serve`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const isRepo = (dir: string) => existsSync(join(dir, 'wrangler.toml')) && existsSync(join(dir, 'src/pipeline/scan.ts'));

/** The checkout holding this package, else one above the working directory; null outside one. */
export function findRepoRoot(from: string[] = [dirname(fileURLToPath(import.meta.url)), process.cwd()]): string | null {
  for (const start of from) {
    let dir = resolve(start);
    for (;;) {
      if (isRepo(dir)) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}
