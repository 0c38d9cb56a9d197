/** MatMul / _FusedMatMul → Gemm (constant B) or MatMul, plus fused BiasAdd and activation. */
import { attr } from '../graph.js';
import { attrBool, attrFloat, attrStrings } from '../tf-attrs.js';
import { applyActivation } from './activation.js';
import type { OpMapper, OpTable } from './types.js';

const matmul: OpMapper = (node, ctx) => {
  const [a, b, ...extra] = ctx.inputs(node);
  const ta = attrBool(node, 'transpose_a'), tb = attrBool(node, 'transpose_b');
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`${node.name}: only rank-2 MatMul is supported`);
  const m = ta ? a.shape[1] : a.shape[0];
  const n = tb ? b.shape[0] : b.shape[1];
  const fused = attrStrings(node, 'fused_ops');
  const inputs = [ctx.tf(a), ctx.tf(b)];
  let next = 0;
  if (fused[0] === 'BiasAdd') inputs.push(ctx.tf(extra[next++]));
  else if (fused.length) throw new Error(`${node.name}: unsupported fused_ops ${fused.join(',')}`);
  let [out] = ctx.g.addNode('Gemm', inputs, node.name, { transA: attr.int(ta ? 1 : 0), transB: attr.int(tb ? 1 : 0) });
  for (const act of fused.slice(1)) {
    out = applyActivation(ctx, act, out, 'tf', 2, `${node.name}/${act}`, { alpha: extra[next++], leak: attrFloat(node, 'leakyrelu_alpha', 0.2) });
  }
  return { name: out, shape: [m, n], layout: 'tf', dtype: 'float32' };
};

export const matmulOps: OpTable = { MatMul: matmul, _FusedMatMul: matmul };
