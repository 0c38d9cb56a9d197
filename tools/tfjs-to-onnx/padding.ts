/** TF spatial padding rules turned into explicit ONNX pads. */

export type TfPadding = 'SAME' | 'VALID' | 'EXPLICIT';

export interface SpatialPlan {
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  out: [number, number];
}

/**
 * TF SAME: out = ceil(in / stride); total = max((out-1)·stride + effectiveKernel − in, 0); begin = floor(total/2),
 * the odd pixel goes at the end (= ONNX auto_pad SAME_UPPER). VALID: no pads. EXPLICIT: NHWC pairs from explicit_paddings.
 */
export function spatialPlan(
  inHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
  padding: TfPadding,
  explicit: number[] = [],
): SpatialPlan {
  const pads: [number, number, number, number] = [0, 0, 0, 0];
  const out: [number, number] = [0, 0];
  for (let d = 0; d < 2; d++) {
    const effK = (kernel[d] - 1) * dilations[d] + 1;
    if (padding === 'SAME') {
      out[d] = Math.ceil(inHW[d] / strides[d]);
      const total = Math.max((out[d] - 1) * strides[d] + effK - inHW[d], 0);
      pads[d] = Math.floor(total / 2);
      pads[d + 2] = total - pads[d];
    } else {
      if (padding === 'EXPLICIT') {
        pads[d] = explicit[2 + 2 * d] ?? 0; // explicit_paddings is [N0,N1,H0,H1,W0,W1,C0,C1]
        pads[d + 2] = explicit[3 + 2 * d] ?? 0;
      }
      out[d] = Math.floor((inHW[d] + pads[d] + pads[d + 2] - effK) / strides[d]) + 1;
    }
  }
  return { pads, out };
}
