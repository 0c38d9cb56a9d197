/**
 * tfjs graph model → ONNX graph (opset 17). Walks the TF graph from its outputs, converts each node
 * with the op table, fixes batch = 1, and drops whatever the outputs do not need.
 */
import { constant, ConvertContext, tensorName } from './context.js';
import { GraphBuilder, type OnnxGraph } from './graph.js';
import { OPS } from './ops/index.js';
import { attrShape } from './tf-attrs.js';
import { modelSignature, type TfjsModel, type TfNode } from './tfjs-model.js';

export interface ConvertOptions {
  /** ONNX name of the (single) image input; default: the Placeholder's name. */
  inputName?: string;
  /** Output renames, keyed by signature key or TF tensor name (e.g. `Identity_2` or `output_mesh`). */
  outputNames?: Record<string, string>;
  /** Value substituted for unknown (-1) batch dims. */
  batch?: number;
  graphName?: string;
}

export interface OutputBinding {
  onnxName: string;
  tfName: string;
  signatureKey?: string;
  shape: number[];
}

export interface ConvertResult {
  graph: OnnxGraph;
  outputs: OutputBinding[];
}

const sanitise = (s: string) => s.replace(/:0$/, '').replace(/[^A-Za-z0-9_]/g, '_');

/** Output tensors: the signature's, else every non-Const node nobody consumes. */
export function findOutputs(model: TfjsModel): { tfName: string; key?: string }[] {
  const nodes = model.json.modelTopology.node;
  const names = new Set(nodes.map((n) => n.name));
  const sig = Object.entries(modelSignature(model.json).outputs ?? {}).map(([key, e]) => ({ key, tfName: tensorName(e.name) }));
  if (sig.length && sig.every((o) => names.has(o.tfName))) return sig.sort((a, b) => a.key.localeCompare(b.key));
  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map((i) => tensorName(i).replace(/:\d+$/, ''))));
  return nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const').map((n) => ({ tfName: n.name }));
}

export function convertTfjs(model: TfjsModel, options: ConvertOptions = {}): ConvertResult {
  const batch = options.batch ?? 1;
  const g = new GraphBuilder(options.graphName ?? 'tfjs_graph');
  const ctx = new ConvertContext(g);
  const byName = new Map(model.json.modelTopology.node.map((n) => [n.name, n]));
  const outputs = findOutputs(model).map((o) => ({
    ...o,
    onnxName: options.outputNames?.[o.tfName] ?? (o.key && options.outputNames?.[o.key]) ?? sanitise(o.key ?? o.tfName),
  }));
  const inputName = options.inputName;
  for (const o of outputs) g.reserve(o.onnxName);
  if (inputName) g.reserve(inputName);

  const convertNode = (node: TfNode) => {
    if (node.op === 'Const') {
      const w = model.weights.get(node.name);
      if (!w) throw new Error(`Const ${node.name} has no weight data (inline tensors are not supported)`);
      if (w.dtype === 'bool') throw new Error(`Const ${node.name}: bool constants are not supported`);
      ctx.define(node.name, constant(w.data as Float32Array | Int32Array, w.shape, node.name));
    } else if (node.op === 'Placeholder') {
      const shape = (attrShape(node, 'shape') ?? []).map((d) => (d < 0 ? batch : d));
      const name = inputName ?? g.unique(sanitise(node.name));
      g.inputs.push({ name, dtype: 'float32', shape });
      ctx.define(node.name, { name, shape, layout: 'tf', dtype: 'float32' });
    } else {
      const mapper = OPS[node.op];
      if (!mapper) throw new Error(`unsupported TF op ${node.op} (${node.name})`);
      try {
        ctx.define(node.name, mapper(node, ctx));
      } catch (e) {
        throw new Error(`converting ${node.op} ${node.name}: ${(e as Error).message}`);
      }
    }
  };

  // Iterative post-order walk (graphs are not stored topologically sorted).
  const visiting = new Set<string>();
  for (const { tfName } of outputs) {
    const stack: [string, boolean][] = [[tfName, false]];
    while (stack.length) {
      const [name, expanded] = stack.pop()!;
      if (ctx.has(name)) continue;
      const node = byName.get(name);
      if (!node) throw new Error(`tensor ${name} has no producer (multi-output ops are not supported)`);
      if (expanded) {
        visiting.delete(name);
        convertNode(node);
        continue;
      }
      if (visiting.has(name)) throw new Error(`cycle at ${name}`);
      visiting.add(name);
      stack.push([name, true]);
      for (const input of node.input ?? []) {
        if (input.startsWith('^')) continue;
        const dep = tensorName(input);
        if (/:\d+$/.test(dep)) throw new Error(`${name}: input ${input} refers to a secondary output (unsupported)`);
        if (!ctx.has(dep)) stack.push([dep, false]);
      }
    }
  }

  const bindings: OutputBinding[] = [];
  for (const o of outputs) {
    const v = ctx.get(o.tfName);
    g.nodes.push({ name: g.unique(`${o.onnxName}/Identity`), op: 'Identity', inputs: [ctx.tf(v)], outputs: [o.onnxName], attrs: {} });
    g.outputs.push({ name: o.onnxName, dtype: 'float32', shape: v.shape });
    bindings.push({ onnxName: o.onnxName, tfName: o.tfName, signatureKey: o.key, shape: v.shape });
  }
  pruneUnused(g);
  return { graph: g, outputs: bindings };
}

/** Removes nodes and initializers that no graph output depends on. */
export function pruneUnused(graph: OnnxGraph): void {
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const live = new Set<number>();
  const needed = new Set<string>();
  const stack = graph.outputs.map((o) => o.name);
  while (stack.length) {
    const t = stack.pop()!;
    if (needed.has(t)) continue;
    needed.add(t);
    const i = producer.get(t);
    if (i === undefined || live.has(i)) continue;
    live.add(i);
    stack.push(...graph.nodes[i].inputs.filter(Boolean));
  }
  graph.nodes = graph.nodes.filter((_, i) => live.has(i));
  graph.initializers = graph.initializers.filter((t) => needed.has(t.name));
}
