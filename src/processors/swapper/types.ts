/**
 * @module processors/swapper/types
 * The contract every face swapper implements: the classical landmark swap now, the learned AEI-Net
 * (+ HEAR-Net) swapper later. Routes and tools pick a swapper by name and only call `swap`.
 */
import type { Face, RgbaImage } from '../../pipeline/types.js';

/** What a caller that sees more than one frame knows better than a single call can. */
export type SwapHints = {
  /**
   * Use the source face's mirror image (swappers that warp source pixels). Unset: the swapper decides per call;
   * video sets it from `createMirrorDecider` so that the choice does not flicker from frame to frame.
   */
  mirrorSource?: boolean;
};

export interface Swapper {
  /** Stable identifier, reported in the `x-seamline-model` header (`classical`, `aei`, `aei+hear`). */
  readonly name: string;
  /**
   * The full-size `target` with `targetFace` replaced by the identity of `sourceFace` from `source`;
   * pose, expression, lighting and everything outside the face stay the target's. Inputs are not modified.
   */
  swap(source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face, hints?: SwapHints): Promise<RgbaImage>;
}

/** Names a client may ask for; `aei` is declared before it ships so the API can answer it clearly. */
export type SwapperName = 'classical' | 'aei';
