/**
 * Face X-Ray evaluation/training sets from real faces: BI (landmark-near partner) and SBI (self blend),
 * parameters from training/xray/blend-recipe.json, landmarks from the worker's findFaces.
 *
 *   npm run synth -- --out DIR --n N --seed S [--tar path ...] [--kind bi|sbi|mix] [--same-group]
 *                    [--jpeg-quality Q | --augment] [--reals] [--pool P] [--labels labels.csv] [--recipe path]
 *
 * Default tars: ../shared/data/fairface/train-00..09.tar; use --tar ../shared/data/fairface/val.tar for
 * held-out evaluation sets. Writes NNNNN.{png|jpg}, NNNNN.mask.png, NNNNN.boundary.png, manifest.jsonl,
 * fake.txt (and real/NNNNN.*, real.txt with --reals).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseRecipe } from '../../src/pipeline/blend/index.js';
import { numberFlag } from '../lib/args.js';
import { synthesize, type SynthKind } from './synth.js';
import { defaultLabelsPath, LandmarkCache, pipelineLandmarker, readGroups, tarSources } from './sources.js';

const DATA = '../shared/data/fairface';
const argv = process.argv.slice(2);
/** Flags that may repeat (--tar a --tar b, or --tar a b). */
function multi(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== `--${name}`) continue;
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.push(argv[++i]);
  }
  return out;
}
const flags: Record<string, string | true> = {};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--') || a === '--') continue;
  const [k, v] = a.slice(2).split('=', 2);
  flags[k] = v ?? (i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[i + 1] : true);
}

const out = typeof flags.out === 'string' ? flags.out : undefined;
if (!out) {
  console.error('usage: npm run synth -- --out DIR --n N --seed S [--tar path ...] [--kind bi|sbi|mix] [--same-group] [--jpeg-quality Q | --augment] [--reals] [--pool P]');
  process.exit(2);
}
const kind = (typeof flags.kind === 'string' ? flags.kind : 'mix') as SynthKind;
if (!['bi', 'sbi', 'mix'].includes(kind)) throw new Error(`--kind must be bi, sbi or mix, got ${kind}`);
const n = numberFlag(flags, 'n', 100);
const seed = numberFlag(flags, 'seed', 1);
const tars = multi('tar').length ? multi('tar') : Array.from({ length: 10 }, (_, i) => `${DATA}/train-0${i}.tar`);
const recipePath = typeof flags.recipe === 'string' ? flags.recipe : 'training/xray/blend-recipe.json';
const recipe = parseRecipe(JSON.parse(readFileSync(recipePath, 'utf8')));
const jpegQuality = typeof flags['jpeg-quality'] === 'string' ? numberFlag(flags, 'jpeg-quality', 90) : undefined;
const sameGroup = flags['same-group'] === true || flags['same-group'] === 'true';

const sources = tars.flatMap(tarSources);
if (sameGroup) {
  const labels = typeof flags.labels === 'string' ? flags.labels : defaultLabelsPath(tars[0]);
  if (!labels) throw new Error('--same-group needs labels.csv (next to the tar or --labels)');
  const groups = readGroups(labels);
  for (const s of sources) s.group = groups.get(s.file);
}
console.log(`synth: ${sources.length} images in ${tars.length} tar(s), kind=${kind}, n=${n}, seed=${seed}${sameGroup ? ', same-group' : ''}`);

const landmarks = new LandmarkCache(await pipelineLandmarker());
const report = await synthesize({
  sources, n, seed, kind, recipe, landmarks, sameGroup, jpegQuality,
  augment: flags.augment === true, reals: flags.reals === true,
  pool: typeof flags.pool === 'string' ? numberFlag(flags, 'pool', 400) : undefined,
  write: (path, bytes) => {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  },
  log: (line) => console.log(line),
});
const kinds = report.manifest.reduce<Record<string, number>>((a, e) => ((a[e.kind] = (a[e.kind] ?? 0) + 1), a), {});
console.log(`landmarks: ${report.poolFaces} faces in ${report.poolTried} images, ${report.landmarkSeconds.toFixed(1)} s (${(report.poolTried / report.landmarkSeconds).toFixed(1)} images/s)`);
console.log(`wrote ${n} samples to ${out} (${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')})`);
console.log(`throughput: ${report.samplesPerSecond.toFixed(2)} samples/s (synthesis + encoding, ${report.synthSeconds.toFixed(1)} s; landmarking excluded)`);
