/** Activations shared by standalone TF ops and the fused_ops of _FusedConv2D / _FusedMatMul. */
import type { ConvertContext, Layout, Value } from '../context.js';

export interface ActivationArgs {
  /** PRelu slope (TF shape, e.g. [1,1,C] or [C]). */
  alpha?: Value;
  /** LeakyRelu alpha. */
  leak?: number;
}

/** Applies TF activation `kind` to ONNX tensor `x` (rank `rank`, stored in `layout`); returns the new name. */
export function applyActivation(ctx: ConvertContext, kind: string, x: string, layout: Layout, rank: number, base: string, args: ActivationArgs = {}): string {
  const g = ctx.g;
  switch (kind) {
    case 'Relu':
    case 'Sigmoid':
    case 'Tanh':
    case 'Elu':
      return g.addNode(kind, [x], base)[0];
    case 'Relu6': {
      const lo = g.addInitializer(`${base}/clip_min`, 'float32', [], new Float32Array([0]));
      const hi = g.addInitializer(`${base}/clip_max`, 'float32', [], new Float32Array([6]));
      return g.addNode('Clip', [x, lo, hi], base)[0];
    }
    case 'LeakyRelu':
      return g.addNode('LeakyRelu', [x], base, { alpha: { type: 'float', value: args.leak ?? 0.2 } })[0];
    case 'Prelu': {
      if (!args.alpha) throw new Error(`${base}: Prelu without alpha`);
      return g.addNode('PRelu', [x, ctx.constFor(args.alpha, layout, rank)], base)[0];
    }
    default:
      throw new Error(`${base}: unsupported activation ${kind}`);
  }
}
