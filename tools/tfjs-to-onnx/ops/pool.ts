/** MaxPool / AvgPool (NHWC ksize/strides) → ONNX MaxPool / AveragePool with explicit pads. */
import { attr } from '../graph.js';
import { spatialPlan, type TfPadding } from '../padding.js';
import { attrInts, attrString } from '../tf-attrs.js';
import type { OpMapper, OpTable } from './types.js';

const pool: OpMapper = (node, ctx) => {
  const [x] = ctx.inputs(node);
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`${node.name}: only NHWC pools are supported`);
  const k = attrInts(node, 'ksize');
  const s = attrInts(node, 'strides');
  const plan = spatialPlan([x.shape[1], x.shape[2]], [k[1], k[2]], [s[1], s[2]], [1, 1], attrString(node, 'padding') as TfPadding);
  const attrs = { kernel_shape: attr.ints([k[1], k[2]]), strides: attr.ints([s[1], s[2]]), pads: attr.ints(plan.pads) };
  // TF's AvgPool averages over the valid (unpadded) window only.
  const [out] = node.op === 'MaxPool'
    ? ctx.g.addNode('MaxPool', [ctx.nchw(x)], node.name, attrs)
    : ctx.g.addNode('AveragePool', [ctx.nchw(x)], node.name, { ...attrs, count_include_pad: attr.int(0) });
  return { name: out, shape: [x.shape[0], plan.out[0], plan.out[1], x.shape[3]], layout: 'nchw', dtype: 'float32' };
};

export const poolOps: OpTable = { MaxPool: pool, AvgPool: pool };
