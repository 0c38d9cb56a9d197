/**
 * Landmarks for training data: runs the worker's face pipeline (onnxruntime-node for speed, same
 * models and pre/post-processing) over FairFace tars and writes, per the trainer's format
 * (training/xray/landmarks.py):
 *   OUT/landmarks.json  {points: 68, files, scores, tars}
 *   OUT/lm68.bin        float32 [N, 68, 2] image-pixel (x, y), NaN rows where no face was found
 * The face kept is the one nearest the image centre (FairFace crops centre their subject).
 *   npm run landmarks -- --out DIR [--threads 2] TAR…
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setBackend } from '../src/backends/ort.js';
import { createNodeBackend } from '../src/backends/ort-node.js';
import { decodeImage } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { MESH_TO_68 } from '../src/processors/landmarker/mesh-indices.js';
import { numberFlag, parseArgs } from './lib/args.js';
import { iterateTar } from './lib/tar.js';

const { flags, positional: tars } = parseArgs(process.argv.slice(2));
const out = typeof flags.out === 'string' ? flags.out : 'training/runs/landmarks';
const limit = numberFlag(flags, 'limit', Infinity);
setBackend(createNodeBackend({ threads: numberFlag(flags, 'threads', 1) }));
mkdirSync(out, { recursive: true });

const files: string[] = [];
const scores: number[] = [];
const rows: Float32Array[] = [];
let missing = 0;
const t0 = performance.now();
for (const tar of tars) {
  let n = 0;
  for (const [name, bytes] of iterateTar(new Uint8Array(readFileSync(tar)))) {
    if (!name.endsWith('.jpg') || n++ >= limit) continue;
    const image = await decodeImage(bytes);
    const { faces } = await findFaces(image, { maxFaces: 4 });
    const cx = image.width / 2, cy = image.height / 2;
    const dist = (f: (typeof faces)[number]) => Math.hypot(f.box.x + f.box.width / 2 - cx, f.box.y + f.box.height / 2 - cy);
    const face = faces.sort((a, b) => dist(a) - dist(b))[0];
    const row = new Float32Array(68 * 2).fill(NaN);
    if (face) {
      MESH_TO_68.forEach((i, k) => {
        row[2 * k] = face.landmarks[i][0];
        row[2 * k + 1] = face.landmarks[i][1];
      });
    } else missing++;
    files.push(name);
    scores.push(face ? face.score : 0);
    rows.push(row);
    if (files.length % 500 === 0) {
      const rate = files.length / ((performance.now() - t0) / 1000);
      console.log(`${files.length} images, ${missing} without a face, ${rate.toFixed(1)} img/s`);
    }
  }
}
const all = new Float32Array(rows.length * 136);
rows.forEach((r, i) => all.set(r, i * 136));
writeFileSync(join(out, 'lm68.bin'), new Uint8Array(all.buffer));
writeFileSync(join(out, 'landmarks.json'), JSON.stringify({ points: 68, files, scores, tars: tars.map((t) => basename(t)) }));
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ images: files.length, withoutFace: missing, seconds: Math.round(seconds), imagesPerSecond: Math.round((files.length / seconds) * 10) / 10 }));
