#!/usr/bin/env node
/**
 * Upload size of the worker: runs `wrangler deploy --dry-run --outdir dist` (offline, no account), then prints
 * every file in dist/ with its raw size and gzip -9 size, and the totals. Exits 1 when the total gzip size of the
 * uploaded files exceeds the 10 MB (10,000,000 bytes) limit of the paid Workers plan. Ends with one JSON line.
 * Not uploaded (listed, but not in the total): wrangler's dist/README.md, and *.map unless wrangler.toml sets
 * upload_source_maps = true. The uploaded total matches wrangler's own "Total Upload" raw figure.
 * Usage: npm run size   (= npm run build && node tools/bundle-size.mjs) [-- --limit <bytes>]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const limitArg = process.argv.indexOf('--limit');
const LIMIT = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 10_000_000;
if (!(LIMIT > 0)) throw new Error('--limit must be a positive number of bytes');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const wrangler = join(root, 'node_modules/.bin/wrangler');

rmSync(outdir, { recursive: true, force: true }); // no stale files from an earlier build
const run = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', 'dist'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
});
const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.status !== 0) {
  process.stderr.write(log);
  console.error(`wrangler deploy --dry-run failed (exit ${run.status ?? run.signal})`);
  process.exit(2);
}
// wrangler's own estimate, e.g. "Total Upload: 14016.25 KiB / gzip: 3639.48 KiB"
const wranglerTotal = /Total Upload:\s*([\d.]+) KiB \/ gzip:\s*([\d.]+) KiB/.exec(log);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const uploadSourceMaps = /^\s*upload_source_maps\s*=\s*true/m.test(readFileSync(join(root, 'wrangler.toml'), 'utf8'));
const uploaded = (file) => file !== 'README.md' && (uploadSourceMaps || !file.endsWith('.map'));
const files = walk(outdir)
  .map((path) => {
    const file = relative(outdir, path);
    return { file, raw: statSync(path).size, gzip: gzipSync(readFileSync(path), { level: 9 }).length, uploaded: uploaded(file) };
  })
  .sort((a, b) => Number(b.uploaded) - Number(a.uploaded) || b.gzip - a.gzip);
const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
const up = files.filter((f) => f.uploaded);
const total = { raw: sum(up, 'raw'), gzip: sum(up, 'gzip') };
const all = { raw: sum(files, 'raw'), gzip: sum(files, 'gzip') };
const ok = total.gzip <= LIMIT;

const fmt = (n) => n.toLocaleString('en-US');
const width = Math.max(4, ...files.map((f) => f.file.length));
console.log(`wrangler deploy --dry-run --outdir dist: ${files.length} files (gzip -9 per file)`);
console.log(`${'file'.padEnd(width)}  ${'raw bytes'.padStart(13)}  ${'gzip -9 bytes'.padStart(13)}`);
for (const f of files) {
  console.log(`${f.file.padEnd(width)}  ${fmt(f.raw).padStart(13)}  ${fmt(f.gzip).padStart(13)}${f.uploaded ? '' : '  (not uploaded)'}`);
}
console.log(`${'total uploaded'.padEnd(width)}  ${fmt(total.raw).padStart(13)}  ${fmt(total.gzip).padStart(13)}`);
console.log(`${'total incl. not uploaded'.padEnd(width)}  ${fmt(all.raw).padStart(13)}  ${fmt(all.gzip).padStart(13)}`);
if (wranglerTotal) console.log(`wrangler reports: Total Upload ${wranglerTotal[1]} KiB / gzip ${wranglerTotal[2]} KiB`);
console.log(
  `limit ${fmt(LIMIT)} bytes gzip: ${ok ? 'OK' : 'EXCEEDED'} — ${fmt(total.gzip)} bytes = ${((100 * total.gzip) / LIMIT).toFixed(1)}% ` +
    `(${ok ? `${fmt(LIMIT - total.gzip)} bytes left` : `${fmt(total.gzip - LIMIT)} bytes over`})`,
);
console.log(JSON.stringify({
  files,
  totalRaw: total.raw,
  totalGzip: total.gzip,
  allFilesRaw: all.raw,
  allFilesGzip: all.gzip,
  limitGzip: LIMIT,
  ok,
  wrangler: wranglerTotal ? { totalKiB: Number(wranglerTotal[1]), gzipKiB: Number(wranglerTotal[2]) } : null,
}));
process.exit(ok ? 0 : 1);
