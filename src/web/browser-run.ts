/**
 * The "run in my browser" bundle (built by tools/build-web.mjs, loaded on demand by main.ts): the worker's own
 * X-ray pipeline (src/pipeline/scan.ts and what it imports) with onnxruntime-web running in the page.
 * Importing this module downloads the models (top-level awaits in the bundled `*.onnx` imports).
 */
import { setBackend } from '../backends/ort.js';
import { createBrowserBackend, webgpuAvailable } from '../backends/ort-browser.js';
import { XRAY } from '../models.js';
import { scanImage } from '../pipeline/scan.js';
import { XRAY_MAP } from '../processors/xray/index.js';
import type { RgbaImage } from '../pipeline/types.js';
import type { ScanView } from './view.js';

declare const __ORT_WASM_URL__: string;

const backend = createBrowserBackend({ wasmUrl: __ORT_WASM_URL__ });
setBackend(backend);

export const backendInfo = {
  name: backend.name,
  provider: backend.provider,
  webgpuInBrowser: webgpuAvailable(),
};

export async function scanInBrowser(image: RgbaImage, maxFaces = 8): Promise<ScanView> {
  const before = backend.stats();
  const t = performance.now();
  const result = await scanImage(image, { maxFaces });
  const ms = performance.now() - t;
  const after = backend.stats();
  const sessionMs = after.sessionMs - before.sessionMs;
  const runMs = after.runMs - before.runMs;
  return {
    source: 'browser',
    verdict: result.verdict,
    reason: result.reason,
    score: result.score,
    threshold: result.threshold,
    model: `${XRAY.name} ${XRAY.version}`,
    width: image.width,
    height: image.height,
    ms,
    backend: `onnxruntime-web (${backend.provider}${crossOriginIsolated ? ', threads' : ', 1 thread'})`,
    detail:
      `${after.runs - before.runs} model runs ${Math.round(runMs)} ms` +
      (sessionMs > 0 ? ` · runtime and ${after.sessions - before.sessions} sessions started in ${Math.round(sessionMs)} ms` : ''),
    faces: result.faces.map((f) => ({
      box: f.box,
      score: f.score,
      label: f.label,
      peak: f.peak,
      boundaryArea: f.boundaryArea,
      map: { values: f.boundary, width: XRAY_MAP, height: XRAY_MAP, toImage: f.mapToImage },
    })),
  };
}
