/** Mean/Sum/Max/Min over constant axes; NCHW inputs are reduced in place when the result order allows. */
import type { Value } from '../context.js';
import { attr, type Attr } from '../graph.js';
import { attrBool } from '../tf-attrs.js';
import { NHWC_TO_NCHW_AXIS } from '../tensor-utils.js';
import type { OpMapper, OpTable } from './types.js';

const ONNX: Record<string, string> = { Mean: 'ReduceMean', Sum: 'ReduceSum', Max: 'ReduceMax', Min: 'ReduceMin', Prod: 'ReduceProd' };

const reduce: OpMapper = (node, ctx) => {
  const [x, axesV] = ctx.inputs(node);
  const rank = x.shape.length;
  const axes = [...new Set(Array.from(ctx.constData(axesV, `${node.name} axes`)).map((a) => (a < 0 ? a + rank : a)))].sort();
  const keep = attrBool(node, 'keep_dims', false);
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  // Reducing NCHW without keep_dims leaves dims in NCHW order: only safe if C does not remain next to H or W.
  const remains = (a: number) => !axes.includes(a);
  const nchwOk = x.layout === 'nchw' && !x.constant && (keep || !(remains(3) && (remains(1) || remains(2))));
  const onnxAxes = nchwOk ? axes.map((a) => NHWC_TO_NCHW_AXIS[a]) : axes;
  const input = nchwOk ? x.name! : ctx.tf(x);
  const op = ONNX[node.op];
  const attrs: Record<string, Attr> = { keepdims: attr.int(keep ? 1 : 0) };
  const inputs = [input];
  if (op === 'ReduceSum') inputs.push(ctx.g.int64(`${node.name}/axes`, onnxAxes)); // opset 13+: axes is an input
  else attrs.axes = attr.ints(onnxAxes); // opset 17: still an attribute for the others
  const [out] = ctx.g.addNode(op, inputs, node.name, attrs);
  const value: Value = { name: out, shape, layout: nchwOk && keep ? 'nchw' : 'tf', dtype: x.dtype };
  return value;
};

export const reduceOps: OpTable = Object.fromEntries(Object.keys(ONNX).map((k) => [k, reduce]));
