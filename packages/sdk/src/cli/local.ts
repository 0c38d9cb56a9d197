/**
 * @module cli/local
 * `scan --local`: the repository's own pipeline (decode → faces → Face X-Ray) in this process, on
 * onnxruntime-node, loaded through a vite-node runner with the worker's module rules (`.wasm` →
 * WebAssembly.Module, `.onnx` → ArrayBuffer), as tools/run.mjs does. Works inside a checkout only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.js';
import { isUrl } from './expand.js';
import { findRepoRoot } from './repo.js';
import type { Scanner } from './scanner.js';

type Runner = { executeFile(file: string): Promise<Record<string, any>> };
type RunnerModule = { createWorkerRulesRunner(root: string): Promise<{ runner: Runner; close: () => Promise<void> }> };

/** The repository's own runner (tools/worker-rules-runner.mjs), loaded from the checkout. */
async function startRunner(root: string): Promise<{ runner: Runner; close: () => Promise<void> }> {
  const url = pathToFileURL(join(root, 'tools/worker-rules-runner.mjs')).href;
  const { createWorkerRulesRunner } = (await import(/* @vite-ignore */ url)) as RunnerModule;
  return createWorkerRulesRunner(root);
}

/** Largest image fetched by URL, as the server's default MAX_IMAGE_BYTES. */
const MAX_URL_BYTES = 10 * 1024 * 1024;

/** A file's bytes, or a URL's: on this machine, on the user's own behalf (no server-side URL rules apply). */
async function readInput(file: string): Promise<Uint8Array> {
  if (!isUrl(file)) return new Uint8Array(await readFile(file));
  const res = await fetch(file, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${file} answered ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_URL_BYTES) throw new Error(`${file} is larger than ${MAX_URL_BYTES} bytes`);
  return bytes;
}

export async function localScanner({ threads = 1 }: { threads?: number } = {}): Promise<Scanner> {
  const root = findRepoRoot();
  if (!root) throw new UsageError('--local works only inside a seamline repository checkout (it runs src/pipeline with the repo\'s models)');
  const { runner, close } = await startRunner(root);
  try {
    // One runner, so these share module instances: setBackend reaches the pipeline's ort module.
    const ort = await runner.executeFile(join(root, 'src/backends/ort.ts'));
    const ortNode = await runner.executeFile(join(root, 'src/backends/ort-node.ts'));
    const image = await runner.executeFile(join(root, 'src/image/index.ts'));
    const pipeline = await runner.executeFile(join(root, 'src/pipeline/scan.ts'));
    ort.setBackend(ortNode.createNodeBackend({ threads }));
    return {
      async scan(file, { overlay, threshold }) {
        const decoded = await image.decodeImage(await readInput(file));
        const result = await pipeline.scanImage(decoded, { maxFaces: 8, threshold });
        return {
          verdict: result.verdict,
          ...(result.reason ? { reason: result.reason } : {}),
          score: result.score,
          threshold: result.threshold,
          faces: result.faces.map(({ box, score, label }: { box: any; score: number; label: 'fake' | 'real' }) => ({ box, score, label })),
          ...(overlay ? { overlay: await image.encodePng(pipeline.overlayScan(decoded, result)) } : {}),
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`cannot load the local pipeline from ${root}: ${(error as Error).message}`, { cause: error });
  }
}
