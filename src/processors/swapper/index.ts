/**
 * @module processors/swapper
 * Face swappers behind one `Swapper` contract. Only `classical` ships today; the learned AEI-Net swapper
 * (FaceShifter stage 1, optional HEAR-Net refinement) will register here under `aei`.
 * @example
 * const swapper = getSwapper('classical');
 * const out = swapper ? await swapper.swap(source, sourceFace, target, targetFace) : undefined;
 */
import { classicalSwapper } from './classical.js';
import type { Swapper, SwapperName } from './types.js';

export { classicalSwapper, createClassicalSwapper, meshPoints, points68, swapClassical } from './classical.js';
export type { ClassicalSwapResult, ClassicalSwapperOptions } from './classical.js';
export type { Swapper, SwapperName } from './types.js';

/** Swappers that can run in this build, by name. */
export const SWAPPERS: Readonly<Partial<Record<SwapperName, Swapper>>> = Object.freeze({ classical: classicalSwapper });

/** The swapper called `name`, or undefined when it is not available in this build. */
export function getSwapper(name: SwapperName): Swapper | undefined {
  return SWAPPERS[name];
}
