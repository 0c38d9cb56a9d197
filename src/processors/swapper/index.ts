/**
 * @module processors/swapper
 * Face swappers behind one `Swapper` contract. `classical` needs no model and is always available; the learned
 * AEI-Net swapper (FaceShifter stage 1, aei.ts) needs its models from R2, so callers build it with
 * `createAeiSwapper(loadModels)` (routes/swap.ts does, per request, on the isolate-cached models).
 * @example
 * const swapper = getSwapper('classical');
 * const out = swapper ? await swapper.swap(source, sourceFace, target, targetFace) : undefined;
 */
import { classicalSwapper } from './classical.js';
import type { Swapper, SwapperName } from './types.js';

export { classicalSwapper, createClassicalSwapper, meshPoints, points68, swapClassical } from './classical.js';
export type { ClassicalSwapResult, ClassicalSwapperOptions } from './classical.js';
export { AEI_MODEL_KEY, HEAR_MODEL_KEY, ID_MODEL_KEY, SWAP_TEMPLATE_112, createAeiSwapper, swapAei } from './aei.js';
export type { AeiModels, AeiSwapResult, AeiSwapperOptions } from './aei.js';
export type { Swapper, SwapperName } from './types.js';

/** Swappers that run without external models, by name (`aei` is built with its models: createAeiSwapper). */
export const SWAPPERS: Readonly<Partial<Record<SwapperName, Swapper>>> = Object.freeze({ classical: classicalSwapper });

/** The swapper called `name`, or undefined when it is not available in this build. */
export function getSwapper(name: SwapperName): Swapper | undefined {
  return SWAPPERS[name];
}
