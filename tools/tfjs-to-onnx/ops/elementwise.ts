/** Elementwise TF ops. Binary ops keep NCHW when every non-constant operand can be NCHW. */
import { constant, type ConvertContext, type Layout, type Value } from '../context.js';
import { attrFloat } from '../tf-attrs.js';
import { broadcastBinary, broadcastShapes } from '../tensor-utils.js';
import { applyActivation } from './activation.js';
import type { OpMapper, OpTable } from './types.js';

const BINARY: Record<string, { onnx: string; fold: (a: number, b: number) => number }> = {
  Add: { onnx: 'Add', fold: (a, b) => a + b },
  AddV2: { onnx: 'Add', fold: (a, b) => a + b },
  Sub: { onnx: 'Sub', fold: (a, b) => a - b },
  Mul: { onnx: 'Mul', fold: (a, b) => a * b },
  RealDiv: { onnx: 'Div', fold: (a, b) => a / b },
  Maximum: { onnx: 'Max', fold: Math.max },
  Minimum: { onnx: 'Min', fold: Math.min },
  Pow: { onnx: 'Pow', fold: Math.pow },
};

/** Layout for a binary op: NCHW if the result is 4-D, some operand is NCHW and no operand forbids it. */
export function chooseLayout(values: Value[], outRank: number): Layout {
  const live = values.filter((v) => !v.constant);
  if (outRank !== 4 || !live.some((v) => v.layout === 'nchw')) return 'tf';
  return live.every((v) => v.shape.length === 4) ? 'nchw' : 'tf';
}

export function binary(ctx: ConvertContext, onnxOp: string, a: Value, b: Value, base: string): Value {
  const shape = broadcastShapes(a.shape, b.shape);
  const layout = chooseLayout([a, b], shape.length);
  const name = (v: Value) => (v.constant ? ctx.constFor(v, layout, shape.length) : ctx.inLayout(v, layout));
  const [out] = ctx.g.addNode(onnxOp, [name(a), name(b)], base);
  return { name: out, shape, layout, dtype: a.dtype };
}

const binaryOp: OpMapper = (node, ctx) => {
  const [a, b] = ctx.inputs(node);
  const spec = BINARY[node.op];
  if (a.constant && b.constant) {
    const int = a.constant instanceof Int32Array && b.constant instanceof Int32Array;
    return constant(broadcastBinary(a.constant, a.shape, b.constant, b.shape, spec.fold, int), broadcastShapes(a.shape, b.shape), node.name);
  }
  return binary(ctx, spec.onnx, a, b, node.name);
};

const addN: OpMapper = (node, ctx) => {
  const [first, ...rest] = ctx.inputs(node);
  return rest.reduce((acc, v, i) => binary(ctx, 'Add', acc, v, `${node.name}_${i}`), first);
};

/** Unary ops that keep whatever layout their input has. */
function unaryChain(build: (ctx: ConvertContext, x: string, base: string) => string): OpMapper {
  return (node, ctx) => {
    const [x] = ctx.inputs(node);
    const input = x.constant ? ctx.tf(x) : x.name!;
    return { ...x, constant: undefined, name: build(ctx, input, node.name) };
  };
}

const simple = (op: string) => unaryChain((ctx, x, base) => ctx.g.addNode(op, [x], base)[0]);
const activation = (kind: string): OpMapper => (node, ctx) => {
  const [x, alpha] = ctx.inputs(node);
  const out = applyActivation(ctx, kind, ctx.inLayout(x, x.layout), x.layout, x.shape.length, node.name, { alpha, leak: attrFloat(node, 'alpha', 0.2) });
  return { ...x, constant: undefined, name: out };
};

const softmax = (op: string): OpMapper => (node, ctx) => {
  const [x] = ctx.inputs(node);
  const [out] = ctx.g.addNode(op, [ctx.tf(x)], node.name, { axis: { type: 'int', value: -1 } });
  return { name: out, shape: x.shape, layout: 'tf', dtype: 'float32' };
};

export const elementwiseOps: OpTable = {
  ...Object.fromEntries(Object.keys(BINARY).map((k) => [k, binaryOp])),
  AddN: addN,
  Relu: activation('Relu'),
  Relu6: activation('Relu6'),
  Elu: activation('Elu'),
  LeakyRelu: activation('LeakyRelu'),
  Prelu: activation('Prelu'),
  Sigmoid: activation('Sigmoid'),
  Tanh: activation('Tanh'),
  Abs: simple('Abs'),
  Neg: simple('Neg'),
  Sqrt: simple('Sqrt'),
  Exp: simple('Exp'),
  Log: simple('Log'),
  Floor: simple('Floor'),
  Sin: simple('Sin'),
  Cos: simple('Cos'),
  Reciprocal: simple('Reciprocal'),
  Square: unaryChain((ctx, x, base) => ctx.g.addNode('Mul', [x, x], base)[0]),
  Rsqrt: unaryChain((ctx, x, base) => ctx.g.addNode('Reciprocal', [ctx.g.addNode('Sqrt', [x], `${base}/sqrt`)[0]], base)[0]),
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
};
