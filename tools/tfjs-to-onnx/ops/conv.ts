/** Conv2D, DepthwiseConv2dNative and their tfjs-fused forms → ONNX Conv (NCHW, OIHW weights). */
import type { Value } from '../context.js';
import { attrFloat, attrInts, attrString, attrStrings } from '../tf-attrs.js';
import { spatialPlan, type TfPadding } from '../padding.js';
import { attr } from '../graph.js';
import { applyActivation } from './activation.js';
import type { OpMapper, OpTable } from './types.js';

/** HWIO → OIHW for regular convs; [H,W,C,M] → [C·M,1,H,W] (channel c·M+m) for depthwise. */
export function filterToOIHW(data: Float32Array, shape: number[], depthwise: boolean): { data: Float32Array; dims: number[] } {
  const [kh, kw, ci, co] = shape;
  const out = new Float32Array(data.length);
  const oc = depthwise ? ci * co : co;
  const ic = depthwise ? 1 : ci;
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) {
          const src = ((h * kw + w) * ci + i) * co + o;
          const dst = depthwise ? ((i * co + o) * kh + h) * kw + w : ((o * ci + i) * kh + h) * kw + w;
          out[dst] = data[src];
        }
  return { data: out, dims: [oc, ic, kh, kw] };
}

const conv: OpMapper = (node, ctx) => {
  const [x, filter, ...extra] = ctx.inputs(node);
  const depthwise = node.op.includes('Depthwise');
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`${node.name}: only NHWC convs are supported`);
  const fdata = ctx.constData(filter, `${node.name} filter`) as Float32Array;
  const [kh, kw, ci, co] = filter.shape;
  const s = attrInts(node, 'strides', [1, 1, 1, 1]);
  const d = attrInts(node, 'dilations', [1, 1, 1, 1]);
  const padding = attrString(node, 'padding', 'VALID') as TfPadding;
  const plan = spatialPlan([x.shape[1], x.shape[2]], [kh, kw], [s[1], s[2]], [d[1], d[2]], padding, attrInts(node, 'explicit_paddings', []));
  const w = filterToOIHW(fdata, filter.shape, depthwise);
  const outC = w.dims[0];
  const group = depthwise ? ci : x.shape[3] / ci;
  const g = ctx.g;
  const inputs = [ctx.nchw(x), g.addInitializer(`${node.name}/weight`, 'float32', w.dims, w.data)];
  const fused = attrStrings(node, 'fused_ops');
  let next = 0;
  if (fused[0] === 'BiasAdd') {
    const bias = ctx.constData(extra[next++], `${node.name} bias`) as Float32Array;
    inputs.push(g.addInitializer(`${node.name}/bias`, 'float32', [outC], bias));
  } else if (fused.length) {
    throw new Error(`${node.name}: unsupported fused_ops ${fused.join(',')}`);
  }
  let out = g.addNode('Conv', inputs, node.name, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([s[1], s[2]]),
    dilations: attr.ints([d[1], d[2]]),
    pads: attr.ints(plan.pads),
    group: attr.int(group),
  })[0];
  for (const act of fused.slice(1)) {
    out = applyActivation(ctx, act, out, 'nchw', 4, `${node.name}/${act}`, { alpha: extra[next++], leak: attrFloat(node, 'leakyrelu_alpha', 0.2) });
  }
  const value: Value = { name: out, shape: [x.shape[0], plan.out[0], plan.out[1], outC], layout: 'nchw', dtype: 'float32' };
  return value;
};

export const convOps: OpTable = {
  Conv2D: conv,
  _FusedConv2D: conv,
  DepthwiseConv2dNative: conv,
  FusedDepthwiseConv2dNative: conv,
};
