/**
 * @module wasm/reference
 * Plain-TS reference implementations of every kernel, same signatures as the wasm ones.
 * @example import { referenceKernels } from './reference'; referenceKernels.warpAffine(img, m, 256, 256);
 */
import type { Kernels } from '../types';
import { alphaBlend, erodeDilate, featherMask, fillPolygon } from './blend';
import { colorTransfer } from './color';
import { rgbaToTensor, warpToTensor } from './tensor';
import { warpTriangles } from './piecewise';
import { pasteBack, warpAffine } from './warp';
import { xrayHeatmap, xrayOverlay, xrayStats } from './xray-boundary';

export const referenceKernels: Kernels = Object.freeze({
  name: 'reference' as const,
  memoryBytes: () => 0,
  warpAffine, warpToTensor, rgbaToTensor, pasteBack,
  featherMask, erodeDilate, fillPolygon, alphaBlend,
  colorTransfer, xrayStats, xrayOverlay, xrayHeatmap,
  warpTriangles,
});
