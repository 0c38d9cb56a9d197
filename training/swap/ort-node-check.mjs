// Runs exported swap models in onnxruntime-node (the worker's ORT) on the inputs export.py --ref-json
// wrote and compares with the torch outputs.  node training/swap/ort-node-check.mjs REF.json aei=PATH [hear=PATH] [tol=2e-3]
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [refPath, ...rest] = process.argv.slice(2);
const args = Object.fromEntries(rest.map((a) => a.split('=')));
const tol = Number(args.tol ?? 2e-3);
const refs = JSON.parse(readFileSync(refPath, 'utf8'));
const dec = (t) => { const b = Buffer.from(t.b64, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
let ok = true;
for (const key of ['aei', 'hear']) {
  if (!args[key] || !refs[key]) continue;
  const session = await ort.InferenceSession.create(args[key]);
  const feeds = {};
  for (const [name, t] of Object.entries(refs[key].inputs)) feeds[name] = new ort.Tensor('float32', dec(t), t.shape);
  const t0 = performance.now();
  const out = await session.run(feeds);
  const ms = performance.now() - t0;
  const [[oname, oref]] = Object.entries(refs[key].output);
  const got = out[oname].data, want = dec(oref);
  let max = 0, sum = 0;
  for (let i = 0; i < want.length; i++) { const d = Math.abs(got[i] - want[i]); max = Math.max(max, d); sum += d; }
  const pass = max <= tol;
  ok &&= pass;
  console.log(JSON.stringify({ model: args[key], output: oname, max_abs_diff: max, mean_abs_diff: sum / want.length, ms_first_run: Math.round(ms), tol, pass }));
  await session.release();
}
process.exit(ok ? 0 : 1);
