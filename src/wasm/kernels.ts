/**
 * @module wasm/kernels
 * Image kernels for the face pipeline: `wasmKernels` (AssemblyScript + wasm SIMD, the default) and
 * `referenceKernels` (plain TS, same `Kernels` interface). The wasm is imported statically: wrangler's
 * CompiledWasm rule (and the vitest plugin in Node) turn `./kernels.wasm` into a `WebAssembly.Module`;
 * workerd forbids compiling wasm from bytes at run time. The instance is created on first use.
 * @example
 * import { kernels } from '../wasm/kernels';
 * const crop = kernels.warpAffine(image, alignmentMatrix(face.keypoints, 256).cropToImage, 256, 256);
 */
import kernelsModule from './kernels.wasm';
import { createWasmKernels } from './wasm-kernels';
import type { Kernels } from './types';

export const wasmKernels: Kernels = createWasmKernels(kernelsModule);
export { referenceKernels } from './reference';
export { createWasmKernels } from './wasm-kernels';
/** The implementation callers should use. */
export const kernels: Kernels = wasmKernels;
export type * from './types';
