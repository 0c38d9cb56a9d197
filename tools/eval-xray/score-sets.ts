/**
 * Per-set X-ray figures from `eval:xray --scores` files, with the same metric code as the tool itself
 * (tools/lib/metrics.ts). The tool scores the reals against one fake list; this splits the fakes by their synth
 * folder (bi-a/, sbi-a/) and reports each set against all reals.
 *
 *   node tools/run.mjs tools/eval-xray/score-sets.ts metrics DIR --threshold T [--remap A0,B0,A1,B1]
 *       DIR holds orig.jsonl, q60.jsonl, q75.jsonl, q90.jsonl. Prints one JSON object: per condition the FPR on
 *       reals at T and per set AUC (all images; and over those with a face found), AP, EER, TPR at 1 % FPR and at T
 *       (+ AUC by blend ratio from the set's manifest.jsonl).
 *       --remap re-expresses the scores (Platt a0,b0 of the run) under a new calibration a1,b1: no new pass needed.
 *   node tools/run.mjs tools/eval-xray/score-sets.ts paired OLD.jsonl NEW.jsonl [--resamples 500]
 *       AUC(NEW) − AUC(OLD) per set on the same images, with a 95 % paired bootstrap interval.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs, numberFlag } from '../lib/args.js';
import { averagePrecision, equalErrorRate, fprAtThreshold, rocAuc, tprAtFpr, tprAtThreshold } from '../lib/metrics.js';

/** `face` is false where no face was found (score 0); files written before it existed have none (treated as found). */
type Row = { set: string | null; key: string; label: 0 | 1; score: number; path: string; face: boolean };

function load(file: string): Row[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const r = JSON.parse(line) as { name: string; label: 0 | 1; score: number; face?: boolean };
    const path = r.name.split(':').at(-1)!;
    const set = r.label === 1 ? basename(dirname(path)) : null;
    return { set, key: `${set ?? 'real'}/${basename(path)}`, label: r.label, score: r.score, path, face: r.face ?? true };
  });
}

/** p under Platt (a0, b0) → the same logit under (a1, b1); 0 (no face found) stays 0. */
function remapper([a0, b0, a1, b1]: number[]): (p: number) => number {
  return (p) => {
    if (p <= 0) return 0;
    const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
    const logit = (Math.log(q / (1 - q)) - b0) / a0;
    return 1 / (1 + Math.exp(-(a1 * logit + b1)));
  };
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));
const sets = (rows: Row[]) => [...new Set(rows.flatMap((r) => (r.set ? [r.set] : [])))].sort();
/** Scores and labels of one fake set against all reals. */
function against(rows: Row[], set: string, keep: (r: Row) => boolean = () => true): { scores: number[]; labels: number[] } {
  const picked = rows.filter((r) => r.label === 0 || (r.set === set && keep(r)));
  return { scores: picked.map((r) => r.score), labels: picked.map((r) => r.label) };
}

function blendRatios(rows: Row[], set: string): Map<string, number> {
  const fake = rows.find((r) => r.set === set)!;
  const manifest = join(dirname(fake.path), 'manifest.jsonl');
  const out = new Map<string, number>();
  if (!existsSync(manifest)) return out;
  for (const line of readFileSync(manifest, 'utf8').split('\n').filter(Boolean)) {
    const m = JSON.parse(line) as { file: string; ratio?: number };
    if (m.ratio !== undefined) out.set(`${set}/${m.file}`, m.ratio);
  }
  return out;
}

function metrics(dir: string, threshold: number, remap?: number[]) {
  const map = remap ? remapper(remap) : (p: number) => p;
  const out: Record<string, Record<string, unknown>> = {};
  for (const cond of ['orig', 'q60', 'q75', 'q90']) {
    const file = join(dir, `${cond}.jsonl`);
    if (!existsSync(file)) continue;
    const rows = load(file).map((r) => ({ ...r, score: map(r.score) }));
    const all = { scores: rows.map((r) => r.score), labels: rows.map((r) => r.label) };
    const o: Record<string, unknown> = { fprReal: round(fprAtThreshold(all.scores, all.labels, threshold)) };
    for (const set of sets(rows)) {
      const { scores, labels } = against(rows, set);
      const found = against(rows.filter((r) => r.face), set);
      const figures: Record<string, unknown> = {
        auc: round(rocAuc(scores, labels)), aucFaceFound: round(rocAuc(found.scores, found.labels)), ap: round(averagePrecision(scores, labels)), eer: round(equalErrorRate(scores, labels), 3),
        tprAtFpr1: round(tprAtFpr(scores, labels, 0.01)), tprAtThreshold: round(tprAtThreshold(scores, labels, threshold)),
      };
      if (cond === 'orig') {
        const ratios = blendRatios(rows, set);
        const byRatio: Record<string, number> = {};
        for (const ratio of [...new Set(ratios.values())].sort((a, b) => a - b)) {
          const sub = against(rows, set, (r) => ratios.get(r.key) === ratio);
          byRatio[String(ratio)] = round(rocAuc(sub.scores, sub.labels), 3);
        }
        if (ratios.size) figures.aucByRatio = byRatio;
      }
      o[set] = figures;
    }
    out[cond] = o;
  }
  return out;
}

/** Mulberry32: a small seeded generator, so the interval is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function paired(oldFile: string, newFile: string, resamples: number) {
  const older = new Map(load(oldFile).map((r) => [r.key, r]));
  const newer = new Map(load(newFile).map((r) => [r.key, r]));
  const keys = [...older.keys()].filter((k) => newer.has(k)).sort();
  const reals = keys.filter((k) => older.get(k)!.label === 0);
  const auc = (m: Map<string, Row>, r: string[], f: string[]) =>
    rocAuc([...r, ...f].map((k) => m.get(k)!.score), [...r.map(() => 0), ...f.map(() => 1)]);
  const random = rng(1);
  const draw = (from: string[]) => from.map(() => from[Math.floor(random() * from.length)]);
  const out: Record<string, unknown> = {};
  for (const set of sets([...older.values()])) {
    const fakes = keys.filter((k) => older.get(k)!.set === set);
    const deltas: number[] = [];
    for (let i = 0; i < resamples; i++) {
      const r = draw(reals), f = draw(fakes);
      deltas.push(auc(newer, r, f) - auc(older, r, f));
    }
    deltas.sort((a, b) => a - b);
    const at = (q: number) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))];
    out[set] = { delta: round(auc(newer, reals, fakes) - auc(older, reals, fakes)), ci95: [round(at(0.025)), round(at(0.975))], reals: reals.length, fakes: fakes.length };
  }
  return out;
}

const { flags, positional } = parseArgs(process.argv.slice(2));
const [command, a, b] = positional;
if (command === 'metrics' && a && typeof flags.threshold === 'string') {
  const remap = typeof flags.remap === 'string' ? flags.remap.split(',').map(Number) : undefined;
  if (remap && (remap.length !== 4 || remap.some((v) => !Number.isFinite(v)))) throw new Error('--remap wants A0,B0,A1,B1');
  console.log(JSON.stringify(metrics(a, Number(flags.threshold), remap)));
} else if (command === 'paired' && a && b) {
  console.log(JSON.stringify(paired(a, b, numberFlag(flags, 'resamples', 500))));
} else {
  console.error('usage: score-sets.ts metrics DIR --threshold T [--remap A0,B0,A1,B1] | paired OLD.jsonl NEW.jsonl [--resamples N]');
  process.exit(2);
}
