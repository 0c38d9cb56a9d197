/**
 * @module cli/expand
 * Command-line inputs → image files: files as given, directories recursively, globs via cli/glob;
 * http(s) URLs pass through untouched (the server, or `--local` itself, fetches them).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UsageError } from './args.js';
import { globToRegExp, hasMagic, splitGlob } from './glob.js';

export const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp)$/i;

export const isUrl = (input: string): boolean => /^https?:\/\//i.test(input);

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

/** Files and URLs in command-line order, without duplicates. Throws UsageError for missing paths or empty globs. */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const input of inputs) {
    if (isUrl(input)) {
      files.add(input);
      continue;
    }
    const posix = input.split(sep).join('/');
    if (hasMagic(posix)) {
      const { base, rest } = splitGlob(posix);
      const re = globToRegExp(rest);
      let found = 0;
      const baseStat = await stat(base).catch(() => undefined);
      if (baseStat?.isDirectory()) {
        for await (const file of walk(base)) {
          const rel = relative(base, file).split(sep).join('/');
          if (re.test(rel) && IMAGE_EXTENSIONS.test(file)) (files.add(file), found++);
        }
      }
      if (!found) throw new UsageError(`no images match ${input}`);
      continue;
    }
    const s = await stat(input).catch(() => undefined);
    if (!s) throw new UsageError(`no such file or directory: ${input}`);
    if (s.isDirectory()) {
      let found = 0;
      for await (const file of walk(input)) if (IMAGE_EXTENSIONS.test(file)) (files.add(file), found++);
      if (!found) throw new UsageError(`no .jpg/.png/.webp images in ${input}`);
    } else files.add(input);
  }
  return [...files];
}
