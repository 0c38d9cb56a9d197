/**
 * Kernel benchmark: median ms per call for the wasm SIMD kernels and the plain-TS reference on realistic sizes.
 * Run: `npm run build:wasm && node tools/run.mjs bench/kernels.ts` (or `npx tsx bench/kernels.ts`); part of
 * `npm run bench` (bench/index.ts). The module is compiled here from src/wasm/kernels.wasm so this file also runs
 * under plain tsx, which cannot import .wasm; the Worker imports it statically instead.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignmentMatrix, composeAffine } from '../src/pipeline/align';
import { MEAN_FACE_68 } from '../src/pipeline/blend/mean-shape';
import { triangulate } from '../src/pipeline/triangulate';
import type { Point2 } from '../src/pipeline/types';
import { referenceKernels } from '../src/wasm/reference';
import { testImage, testMask } from '../src/wasm/test-images';
import type { Kernels } from '../src/wasm/types';
import { createWasmKernels } from '../src/wasm/wasm-kernels';

export type KernelBenchRow = { kernel: string; size: string; wasmMs: number; referenceMs: number; speedup: number };
export type KernelBenchOptions = { minRuns?: number; minMs?: number; wasmPath?: string };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(fn: () => unknown, minRuns: number, minMs: number): number {
  fn(); // warm-up (JIT, wasm memory growth)
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || (performance.now() - start < minMs && samples.length < 200)) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** Runs every kernel on both implementations; returns one row per case. */
export function benchKernels(options: KernelBenchOptions = {}): KernelBenchRow[] {
  const { minRuns = 7, minMs = 400 } = options;
  const wasmPath = options.wasmPath ?? fileURLToPath(new URL('../src/wasm/kernels.wasm', import.meta.url));
  const wasm = createWasmKernels(new WebAssembly.Module(readFileSync(wasmPath)));

  const image = testImage(1280, 800, 1, true); // 1.02 MP
  const keypoints: Point2[] = [[560.4, 330.1], [700.2, 322.8], [632.5, 410.3], [575.1, 480.6], [690.7, 474.2]];
  const { cropToImage } = alignmentMatrix(keypoints, 256);
  const crop = testImage(256, 256, 2, true), crop2 = testImage(256, 256, 3, true);
  const mask = testMask(256, 256);
  const hull: Point2[] = Array.from({ length: 12 }, (_, i) => [128 + 100 * Math.cos(i / 2), 128 + 110 * Math.sin(i / 2)] as Point2);
  const map = testMask(64, 64, 5);
  const mapToImage = composeAffine([400 / 64, 0, 440, 0, 400 / 64, 200], [1, 0, 0, 0, 1, 0]); // 64² -> 400² face box
  const tensor = { layout: 'nchw', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } as const;
  // Classical swap mesh: 68 mean-face points over a 256² face crop, sourced from a shifted, scaled face in the 1280x800 image.
  const meshDst = MEAN_FACE_68.map(([x, y]) => [8 + 240 * x, 8 + 240 * y] as Point2);
  const meshSrc = meshDst.map(([x, y], i) => [540 + 1.3 * x + 3 * Math.sin(i), 250 + 1.3 * y + 3 * Math.cos(i)] as Point2);
  const meshTriangles = triangulate(meshDst);

  const cases: [string, string, (k: Kernels) => unknown][] = [
    ['warpAffine', '1280x800 -> 256x256', (k) => k.warpAffine(image, cropToImage, 256, 256)],
    ['warpToTensor', '1280x800 -> 1x3x256x256', (k) => k.warpToTensor(image, cropToImage, 256, 256, tensor)],
    ['rgbaToTensor', '256x256 -> 1x3x256x256', (k) => k.rgbaToTensor(crop, tensor)],
    ['pasteBack', '256² crop into 1280x800', (k) => k.pasteBack(image, crop, mask, cropToImage)],
    ['featherMask', '256², σ=4', (k) => k.featherMask(mask, 256, 256, 4)],
    ['erodeDilate', '256², k=5', (k) => k.erodeDilate(mask, 256, 256, 5)],
    ['fillPolygon', '256², 12-gon, AA', (k) => k.fillPolygon(256, 256, hull)],
    ['alphaBlend', '256² + boundary', (k) => k.alphaBlend(crop, crop2, mask)],
    ['colorTransfer', '256² -> 256², masked', (k) => k.colorTransfer(crop, crop2, { sourceMask: mask, referenceMask: mask })],
    ['xrayOverlay', '64² -> 400² box on 1280x800', (k) => k.xrayOverlay(image, map, 64, 64, mapToImage, { threshold: 0.1 })],
    ['xrayHeatmap', '64² -> 256²', (k) => k.xrayHeatmap(map, 64, 64, 256, 256)],
    ['warpTriangles', `${meshTriangles.length} tris -> 256x256`, (k) => k.warpTriangles(image, meshSrc, meshDst, meshTriangles, 256, 256)],
  ];
  return cases.map(([kernel, size, fn]) => {
    const wasmMs = time(() => fn(wasm), minRuns, minMs);
    const referenceMs = time(() => fn(referenceKernels), minRuns, minMs);
    return { kernel, size, wasmMs, referenceMs, speedup: referenceMs / wasmMs };
  });
}

export function formatKernelBench(rows: KernelBenchRow[]): string {
  const head = `${'kernel'.padEnd(14)} ${'size'.padEnd(28)} ${'wasm ms'.padStart(9)} ${'ref ms'.padStart(9)} ${'ref/wasm'.padStart(9)}`;
  return [head, ...rows.map((r) =>
    `${r.kernel.padEnd(14)} ${r.size.padEnd(28)} ${r.wasmMs.toFixed(3).padStart(9)} ${r.referenceMs.toFixed(3).padStart(9)} ${r.speedup.toFixed(2).padStart(8)}x`,
  )].join('\n');
}

// Entry check tolerates relative paths (tools/run.mjs passes argv[1] as given on the command line).
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  console.log(`node ${process.version}, median per call`);
  console.log(formatKernelBench(benchKernels()));
}
