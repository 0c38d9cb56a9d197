/**
 * Shape-level ops. Reshape/Squeeze/Transpose need TF element order, so NCHW inputs are transposed
 * back to NHWC first. Pad and Concat stay NCHW and have their axes remapped. Shape/StridedSlice/Pack
 * on constants (batch fixed to 1) are folded at conversion time.
 */
import { constant, type Value } from '../context.js';
import { attrInt, attrInts, attrString } from '../tf-attrs.js';
import { NHWC_TO_NCHW_AXIS, numel, PERM_NHWC_TO_NCHW, transposeData, type NumericArray } from '../tensor-utils.js';
import { chooseLayout } from './elementwise.js';
import type { OpMapper, OpTable } from './types.js';

const identity: OpMapper = (node, ctx) => ctx.inputs(node)[0];

/** Resolves a TF target shape (at most one -1) against the element count. */
export function resolveShape(target: number[], count: number): number[] {
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = target.map((d) => (d === -1 ? count / known : d));
  if (numel(out) !== count || out.some((d) => !Number.isInteger(d))) throw new Error(`reshape: [${target}] does not fit ${count} elements`);
  return out;
}

function reshapeTo(node: Parameters<OpMapper>[0], ctx: Parameters<OpMapper>[1], x: Value, shape: number[]): Value {
  if (x.constant) return constant(x.constant, shape, node.name);
  const [out] = ctx.g.addNode('Reshape', [ctx.tf(x), ctx.g.int64(`${node.name}/shape`, shape)], node.name);
  return { name: out, shape, layout: 'tf', dtype: x.dtype };
}

const reshape: OpMapper = (node, ctx) => {
  const [x, target] = ctx.inputs(node);
  return reshapeTo(node, ctx, x, resolveShape(Array.from(ctx.constData(target, `${node.name} shape`)), numel(x.shape)));
};

const squeeze: OpMapper = (node, ctx) => {
  const [x] = ctx.inputs(node);
  const rank = x.shape.length;
  let axes = attrInts(node, 'squeeze_dims', []).map((a) => (a < 0 ? a + rank : a));
  if (!axes.length) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  return reshapeTo(node, ctx, x, x.shape.filter((_, i) => !axes.includes(i)));
};

const expandDims: OpMapper = (node, ctx) => {
  const [x, axisV] = ctx.inputs(node);
  let axis = ctx.constData(axisV, `${node.name} axis`)[0];
  if (axis < 0) axis += x.shape.length + 1;
  const shape = [...x.shape];
  shape.splice(axis, 0, 1);
  return reshapeTo(node, ctx, x, shape);
};

const transpose: OpMapper = (node, ctx) => {
  const [x, permV] = ctx.inputs(node);
  const perm = Array.from(ctx.constData(permV, `${node.name} perm`));
  const shape = perm.map((p) => x.shape[p]);
  if (x.constant) return constant(transposeData(x.constant, x.shape, perm), shape, node.name);
  const [out] = ctx.g.addNode('Transpose', [ctx.tf(x)], node.name, { perm: { type: 'ints', value: perm } });
  return { name: out, shape, layout: 'tf', dtype: x.dtype };
};

const pad: OpMapper = (node, ctx) => {
  const [x, paddingsV, fill] = ctx.inputs(node);
  const p = Array.from(ctx.constData(paddingsV, `${node.name} paddings`));
  const rank = x.shape.length;
  const layout = x.constant ? 'tf' : x.layout;
  const order = layout === 'nchw' ? PERM_NHWC_TO_NCHW : x.shape.map((_, i) => i);
  const pads = [...order.map((a) => p[2 * a]), ...order.map((a) => p[2 * a + 1])];
  const inputs = [ctx.inLayout(x, layout), ctx.g.int64(`${node.name}/pads`, pads)];
  if (fill) inputs.push(ctx.constFor({ ...fill, shape: [] }, 'tf', 0));
  let mode = 'constant';
  if (node.op === 'MirrorPad') {
    const m = attrString(node, 'mode');
    if (m !== 'REFLECT') throw new Error(`${node.name}: MirrorPad mode ${m} is not supported`);
    mode = 'reflect';
  }
  const [out] = ctx.g.addNode('Pad', inputs, node.name, { mode: { type: 'string', value: mode } });
  const shape = x.shape.map((d, i) => d + p[2 * i] + p[2 * i + 1]);
  return { name: out, shape, layout: rank === 4 ? layout : 'tf', dtype: x.dtype };
};

const concat: OpMapper = (node, ctx) => {
  const all = ctx.inputs(node);
  const parts = node.op === 'ConcatV2' ? all.slice(0, -1) : all.slice(1);
  const axisV = node.op === 'ConcatV2' ? all[all.length - 1] : all[0];
  const rank = parts[0].shape.length;
  let axis = ctx.constData(axisV, `${node.name} axis`)[0];
  if (axis < 0) axis += rank;
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((n, v) => n + v.shape[axis], 0);
  if (parts.every((v) => v.constant)) {
    if (axis !== 0) throw new Error(`${node.name}: constant concat only folds on axis 0`);
    const int = parts[0].constant instanceof Int32Array;
    const data = int ? new Int32Array(numel(shape)) : new Float32Array(numel(shape));
    let o = 0;
    for (const v of parts) (data.set(v.constant as never, o), (o += v.constant!.length));
    return constant(data, shape, node.name);
  }
  const layout = chooseLayout(parts, rank);
  const names = parts.map((v) => (v.constant ? ctx.constFor(v, layout, rank) : ctx.inLayout(v, layout)));
  const onnxAxis = layout === 'nchw' ? NHWC_TO_NCHW_AXIS[axis] : axis;
  const [out] = ctx.g.addNode('Concat', names, node.name, { axis: { type: 'int', value: onnxAxis } });
  return { name: out, shape, layout, dtype: parts[0].dtype };
};

/** Shape of a statically shaped tensor is a constant (batch was fixed to 1 at the graph input). */
const shapeOp: OpMapper = (node, ctx) => {
  const [x] = ctx.inputs(node);
  return constant(Int32Array.from(x.shape), [x.shape.length], node.name);
};

/** StridedSlice on a constant 1-D tensor (the Shape→StridedSlice→Pack→Reshape idiom). */
export function stridedSlice1D(data: NumericArray, begin: number, end: number, stride: number, beginMask: boolean, endMask: boolean): number[] {
  const n = data.length;
  const norm = (i: number) => (i < 0 ? i + n : i);
  let b = beginMask ? (stride > 0 ? 0 : n - 1) : norm(begin);
  let e = endMask ? (stride > 0 ? n : -1) : norm(end);
  b = Math.max(stride > 0 ? 0 : -1, Math.min(b, stride > 0 ? n : n - 1));
  e = Math.max(-1, Math.min(e, n));
  const out: number[] = [];
  for (let i = b; stride > 0 ? i < e : i > e; i += stride) out.push(data[i]);
  return out;
}

const stridedSlice: OpMapper = (node, ctx) => {
  const [x, beginV, endV, stridesV] = ctx.inputs(node);
  if (!x.constant || x.shape.length !== 1) throw new Error(`${node.name}: StridedSlice is only supported on constant 1-D tensors (fold Shape first)`);
  if (attrInt(node, 'ellipsis_mask', 0) || attrInt(node, 'new_axis_mask', 0)) throw new Error(`${node.name}: ellipsis/new_axis masks are not supported`);
  const begin = ctx.constData(beginV, 'begin')[0], end = ctx.constData(endV, 'end')[0];
  const stride = stridesV ? ctx.constData(stridesV, 'strides')[0] : 1;
  const values = stridedSlice1D(x.constant, begin, end, stride, (attrInt(node, 'begin_mask', 0) & 1) === 1, (attrInt(node, 'end_mask', 0) & 1) === 1);
  const shrink = (attrInt(node, 'shrink_axis_mask', 0) & 1) === 1;
  const data = x.constant instanceof Int32Array ? Int32Array.from(shrink ? values.slice(0, 1) : values) : Float32Array.from(shrink ? values.slice(0, 1) : values);
  return constant(data, shrink ? [] : [values.length], node.name);
};

const pack: OpMapper = (node, ctx) => {
  const parts = ctx.inputs(node);
  const axis = attrInt(node, 'axis', 0);
  const shape = [...parts[0].shape];
  shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, parts.length);
  if (parts.every((v) => v.constant) && axis === 0) {
    const int = parts[0].constant instanceof Int32Array;
    const data = int ? new Int32Array(numel(shape)) : new Float32Array(numel(shape));
    parts.forEach((v, i) => data.set(v.constant as never, i * v.constant!.length));
    return constant(data, shape, node.name);
  }
  const a = axis < 0 ? axis + parts[0].shape.length + 1 : axis;
  const names = parts.map((v, i) => ctx.g.addNode('Unsqueeze', [ctx.tf(v), ctx.g.int64(`${node.name}/axes`, [a])], `${node.name}/unsqueeze_${i}`)[0]);
  const [out] = ctx.g.addNode('Concat', names, node.name, { axis: { type: 'int', value: a } });
  return { name: out, shape, layout: 'tf', dtype: parts[0].dtype };
};

const cast: OpMapper = (node, ctx) => {
  const [x] = ctx.inputs(node);
  const to = node.attr?.DstT?.type ?? 'DT_FLOAT';
  if (x.constant) return constant(to === 'DT_INT32' ? Int32Array.from(x.constant, Math.trunc) : Float32Array.from(x.constant), x.shape, node.name);
  if (to === 'DT_FLOAT' && x.dtype === 'float32') return x;
  throw new Error(`${node.name}: Cast to ${to} of a computed tensor is not supported`);
};

export const shapeOps: OpTable = {
  Identity: identity,
  StopGradient: identity,
  Snapshot: identity,
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  Transpose: transpose,
  Pad: pad,
  PadV2: pad,
  MirrorPad: pad,
  ConcatV2: concat,
  Concat: concat,
  Shape: shapeOp,
  StridedSlice: stridedSlice,
  Pack: pack,
  Cast: cast,
};


