/** seamline image kernels (AssemblyScript, wasm SIMD). Built by tools/build-wasm.mjs into src/wasm/kernels.wasm. */
export { warpAffine, pasteBack } from './warp';
export { warpToTensor, rgbaToTensor } from './tensor';
export { alphaBlend, separable, fillPolygon } from './blend';
export { labStats, labApply } from './color';
export { mapStats, overlay, heatmap } from './xray-boundary';
export { warpTriangles } from './piecewise';

/** First byte after static data: the JS bump allocator starts here (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
