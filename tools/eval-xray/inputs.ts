/**
 * Image sets for evaluation: a folder (image files, sorted; synth's *.mask.png / *.boundary.png
 * skipped), a tar (image entries, numeric order) or a .txt list (one path a line, relative to the list).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { iterateTar } from '../lib/tar.js';

export type ImageEntry = { name: string; bytes: () => Uint8Array };

const IMAGE = /\.(jpe?g|png|webp)$/i;
const AUX = /\.(mask|boundary)\.png$/i;
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function listImages(spec: string): ImageEntry[] {
  if (spec.endsWith('.tar')) {
    const entries = [...iterateTar(new Uint8Array(readFileSync(spec)))].filter(([name]) => IMAGE.test(name));
    return entries.sort((a, b) => natural(a[0], b[0])).map(([name, bytes]) => ({ name: `${spec}:${name}`, bytes: () => bytes }));
  }
  if (spec.endsWith('.txt')) {
    const base = dirname(resolve(spec));
    return readFileSync(spec, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
      .map((l) => { const p = resolve(base, l); return { name: p, bytes: () => new Uint8Array(readFileSync(p)) }; });
  }
  if (statSync(spec).isDirectory()) {
    return readdirSync(spec).filter((f) => IMAGE.test(f) && !AUX.test(f)).sort(natural)
      .map((f) => { const p = join(spec, f); return { name: p, bytes: () => new Uint8Array(readFileSync(p)) }; });
  }
  throw new Error(`${spec}: expected a folder, a .tar or a .txt list`);
}
