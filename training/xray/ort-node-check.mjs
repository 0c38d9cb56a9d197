// Runs an exported xray ONNX in onnxruntime-node (same ORT release as the worker's onnxruntime-web)
// and compares with reference outputs written by:  python3 -m training.xray.ort_reference
//   node training/xray/ort-node-check.mjs MODEL.onnx REF.json
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";

const [model, refPath] = process.argv.slice(2);
const ref = JSON.parse(readFileSync(refPath, "utf8"));
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
const image = new ort.Tensor("float32", Float32Array.from(ref.input), [1, 3, 256, 256]);
let out = await session.run({ image });
const t0 = performance.now();
for (let i = 0; i < 10; i++) out = await session.run({ image });
const ms = (performance.now() - t0) / 10;
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const res = {
  inputs: session.inputNames, outputs: session.outputNames,
  boundaryDims: out.boundary.dims, logitDims: out.logit.dims,
  dBoundary: maxDiff(out.boundary.data, ref.boundary), dLogit: maxDiff(out.logit.data, ref.logit),
  msPerRun1Thread: Number(ms.toFixed(1)),
};
console.log(JSON.stringify(res));
if (!(res.dBoundary < 1e-3 && res.dLogit < 1e-2)) process.exit(1);
