/**
 * Converts the face models in models.ts to every storage variant, measures them (accuracy on real
 * FairFace faces vs fp32, fp32 vs the original tfjs model, ORT node vs web timings), keeps the
 * smallest variant that passes its accuracy bound, and writes models/<name>.<dtype>.onnx, the model
 * cards and models/registry.json.
 *
 *   npm run models:build -- [blazeface facemesh …] [--faces 16] [--runs 20]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { timeNode, timeWeb, type Timing } from '../../bench/models.js';
import { loadFaces, randomInput, toInput } from './faces.js';
import { convertFile } from './index.js';
import { acceptance, domainMetrics, outputDiffs, type Outputs } from './measure.js';
import { MODEL_SPECS, SOURCE_PACKAGE, sourcePackageDir, sourcePath, type ModelSpec } from './models.js';
import { weightAxes, type StorageDtype } from './quantize.js';
import { convertTfjs } from './convert.js';
import { loadReference, runReference } from './tfjs-reference.js';
import { loadTfjsModel } from './tfjs-model.js';
import { OPSET } from './writer.js';
// @ts-expect-error plain ESM tool without type declarations
import { writeCards } from '../model-cards.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DTYPES: StorageDtype[] = ['fp32', 'fp16', 'int8'];
const UPSTREAM_LICENCE: Record<string, string> = {
  'https://github.com/google/mediapipe': 'MediaPipe models are published by Google under Apache-2.0 upstream; the npm package does not restate this.',
  'https://github.com/HSE-asavchenko/HSE_FaceRec_tf': 'Upstream licence of HSE_FaceRec_tf and of its training data is not stated in the package and was not verified.',
};

const STORAGE_NOTE: Record<StorageDtype, string> = {
  fp32: 'all weights fp32',
  fp16: 'all float initializers stored fp16 + Cast to fp32 (folded by ORT at session creation); compute in fp32',
  int8: 'Conv/Gemm weights per-output-channel symmetric int8 + DequantizeLinear (weight-only), except keepFloat weights; other float initializers fp16 + Cast; compute in fp32',
};

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function runOrt(bytes: Uint8Array, spec: ModelSpec, inputs: Float32Array[]): Promise<Outputs[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const shape = [1, spec.input.size, spec.input.size, 3];
  const out: Outputs[] = [];
  for (const x of inputs) {
    const r = await session.run({ [spec.inputName]: new ort.Tensor('float32', x, shape) });
    out.push(Object.fromEntries(Object.entries(r).map(([k, t]) => [k, new Float32Array(t.data as Float32Array)])));
  }
  await session.release();
  return out;
}

const timings = (node: Timing, web: Timing) => ({
  ortNodeMs1Thread: { median: round(node.median, 3), min: round(node.min, 3) },
  ortWebWasmMs1Thread: { median: round(web.median, 3), min: round(web.min, 3) },
  webOverNode: round(web.median / node.median, 3),
});
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const round = (x: number, digits = 4) => Number(x.toPrecision(digits));
const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));

/**
 * Mixed int8: measures each weight's int8 sensitivity alone (on 3 faces), then keeps the k most
 * sensitive weights in fp16 for the smallest k (from 0, 1, 2, 3, 4, 6, 8, 12, …) that passes the
 * model's accuracy bound on all faces.
 */
async function searchInt8(spec: ModelSpec, faceInputs: Float32Array[], fp32Faces: Outputs[], build: (keepFloat: string[]) => Uint8Array) {
  const accept = acceptance(spec);
  const weights = [...weightAxes(convertTfjs(loadTfjsModel(sourcePath(spec)), { inputName: spec.inputName }).graph).keys()];
  const evaluate = async (keep: string[], inputs: Float32Array[], ref: Outputs[]) => domainMetrics(spec.accuracy, ref, await runOrt(build(keep), spec, inputs));
  const allBytes = build([]);
  const allLayers = { bytes: allBytes.length, accepted: false, taskErrorVsFp32OnFaces: roundAll(await evaluate([], faceInputs, fp32Faces)) };
  allLayers.accepted = accept.ok(allLayers.taskErrorVsFp32OnFaces);
  const sensitivity: { name: string; badness: number }[] = [];
  for (const w of weights) {
    const m = await evaluate(weights.filter((x) => x !== w), faceInputs.slice(0, 3), fp32Faces.slice(0, 3));
    sensitivity.push({ name: w, badness: accept.badness(m) });
  }
  sensitivity.sort((a, b) => b.badness - a.badness);
  const steps = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128].filter((k) => k < weights.length).concat(weights.length);
  for (const k of steps) {
    const keep = sensitivity.slice(0, k).map((s) => s.name);
    const m = await evaluate(keep, faceInputs, fp32Faces);
    console.log(`${spec.name} int8 keeping ${k}/${weights.length} weights fp16: badness ${accept.badness(m).toFixed(3)}`);
    if (accept.ok(m)) return { keepFloat: keep, allLayers };
  }
  return { keepFloat: weights, allLayers };
}

async function buildModel(spec: ModelSpec, faceCount: number, runs: number) {
  const faces = await loadFaces(faceCount);
  const { scale, offset, range, size } = spec.input;
  const faceInputs = faces.map((f) => toInput(f, size, scale, offset, spec.faceCrop));
  const randomInputs = [1, 2].map((seed) => randomInput(size * size * 3, seed, range[0], range[1]));
  const tfjsJson = loadTfjsModel(sourcePath(spec)).json;
  const shape = [1, size, size, 3];

  const convertOptions = (dtype: StorageDtype, keepFloat: string[] = []) => ({
    dtype,
    inputName: spec.inputName,
    outputNames: spec.outputNames,
    graphName: spec.name,
    metadata: { model: spec.name, source: `${SOURCE_PACKAGE}/${spec.file}` },
    int8: { keepFloat },
  });
  const fp32 = convertFile(sourcePath(spec), convertOptions('fp32'));
  const fp32Faces = await runOrt(fp32.bytes, spec, faceInputs);
  const int8Search = await searchInt8(spec, faceInputs, fp32Faces, (keep) => convertFile(sourcePath(spec), convertOptions('int8', keep)).bytes);
  const variants = {
    fp32,
    fp16: convertFile(sourcePath(spec), convertOptions('fp16')),
    int8: convertFile(sourcePath(spec), convertOptions('int8', int8Search.keepFloat)),
  };

  // fp32 vs the original tfjs graph (3 faces + 1 random input; the tfjs CPU backend is slow).
  const reference = await loadReference(sourcePath(spec));
  const parityInputs = [...faceInputs.slice(0, 3), randomInputs[0]];
  const fp32Parity = await runOrt(variants.fp32.bytes, spec, parityInputs);
  const tfNames = variants.fp32.outputs.map((o) => o.tfName);
  const tfOut: Outputs[] = [];
  for (const x of parityInputs) {
    const r = await runReference(reference, x, shape, tfNames);
    tfOut.push(Object.fromEntries(variants.fp32.outputs.map((o, i) => [o.onnxName, r[i]])));
  }
  const parity = outputDiffs(tfOut, fp32Parity);

  const fp32Random = await runOrt(variants.fp32.bytes, spec, randomInputs);
  const results: Record<string, any> = {};
  for (const dtype of DTYPES) {
    const v = variants[dtype];
    const facesOut = await runOrt(v.bytes, spec, faceInputs);
    const randomOut = await runOrt(v.bytes, spec, randomInputs);
    const target = { label: `${spec.name}.${dtype}`, bytes: v.bytes, inputs: [{ name: spec.inputName, shape }] };
    const domain = domainMetrics(spec.accuracy, fp32Faces, facesOut);
    results[dtype] = {
      bytes: v.bytes.length,
      accepted: acceptance(spec).ok(domain),
      taskErrorVsFp32OnFaces: roundAll(domain),
      outputDiffVsFp32OnFaces: Object.fromEntries(Object.entries(outputDiffs(fp32Faces, facesOut)).map(([k, d]) => [k, roundAll({ ...d })])),
      outputDiffVsFp32OnRandom: Object.fromEntries(Object.entries(outputDiffs(fp32Random, randomOut)).map(([k, d]) => [k, roundAll({ ...d })])),
      ...timings(await timeNode(target, runs), await timeWeb(target, runs)),
    };
    console.log(spec.name, dtype, JSON.stringify(results[dtype]));
  }
  // Smallest accepted variant; int8 only when it saves ≥ 20 % over fp16 (its DequantizeLinear nodes
  // run on every inference, and fp16 storage is lossless for weights that were fp16 upstream).
  const accepted = DTYPES.filter((d) => results[d].accepted && !(d === 'int8' && results.int8.bytes > 0.8 * results.fp16.bytes));
  const best = accepted.sort((a, b) => results[a].bytes - results[b].bytes)[0];
  const ship: StorageDtype | null = best && results[best].bytes <= (spec.maxShippedBytes ?? Infinity) ? best : null;
  results.int8.keepFloat = int8Search.keepFloat;
  results.int8AllLayers = int8Search.allLayers;
  return { keepFloat: int8Search.keepFloat, spec, variants, results, parity, ship, tfjsJson, faceCount, runs };
}

function writeOutputs(built: Awaited<ReturnType<typeof buildModel>>[]) {
  const pkg = JSON.parse(readFileSync(join(sourcePackageDir(), 'package.json'), 'utf8')) as { version: string; license: string };
  const ortVersion = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, os: `${platform()} ${release()}`, node: process.version, onnxruntimeNode: ortVersion('onnxruntime-node'), onnxruntimeWeb: ortVersion('onnxruntime-web') };
  const date = new Date().toISOString().slice(0, 10);
  const registry = { description: 'Face models converted from tfjs to ONNX by tools/tfjs-to-onnx. Verify with npm run models:check.', models: [] as unknown[] };
  mkdirSync(join(ROOT, 'models'), { recursive: true });

  for (const b of built) {
    const { spec, variants, results, parity, ship, tfjsJson } = b;
    for (const dtype of DTYPES) {
      const path = join(ROOT, `models/${spec.name}.${dtype}.onnx`);
      if (dtype === ship) writeFileSync(path, variants[dtype].bytes);
      else if (existsSync(path)) rmSync(path);
    }
    const shown = ship ?? 'fp16';
    const files = ship ? [{ path: `models/${spec.name}.${ship}.onnx`, dtype: ship, bytes: variants[ship].bytes.length, sha256: sha256(variants[ship].bytes) }] : [];
    const file = files[0] ?? { path: `models/${spec.name}.${shown}.onnx` };
    const weightsStoredAs = [...new Set(loadTfjsModel(sourcePath(spec)).weights.values())].map((w) => w.storedAs).filter((s, i, a) => a.indexOf(s) === i);
    const card = {
      name: spec.name,
      task: spec.task,
      source: {
        package: SOURCE_PACKAGE,
        version: pkg.version,
        file: spec.file,
        weights: tfjsJson.weightsManifest.flatMap((g) => g.paths).map((p) => `models/${p}`),
        weightsStoredAs,
        upstream: tfjsJson.generatedBy ?? null,
        convertedBy: tfjsJson.convertedBy ?? null,
      },
      license: {
        package: `${pkg.license} (© 2021 Vladimir Mandic, ${SOURCE_PACKAGE})`,
        upstream: UPSTREAM_LICENCE[tfjsJson.generatedBy ?? ''] ?? `Origin not stated by the package (generatedBy: ${JSON.stringify(tfjsJson.generatedBy ?? null)}); upstream licence and training-data terms not verified.`,
      },
      conversion: {
        tool: 'tools/tfjs-to-onnx',
        opset: OPSET,
        storage: STORAGE_NOTE[shown],
        ...(shown === 'int8' ? { keepFloat: b.keepFloat } : {}),
        command: `npm run convert -- node_modules/${SOURCE_PACKAGE}/${spec.file} ${file.path} --dtype ${shown} --input-name ${spec.inputName} ${Object.entries(spec.outputNames).map(([k, v]) => `--output ${k}=${v}`).join(' ')}${shown === 'int8' && b.keepFloat.length ? ` --keep-float ${b.keepFloat.join(',')}` : ''} (build-models.ts also sets graph name and metadata)`,
      },
      files,
      ...(ship ? {} : { notShipped: `no variant passes the accuracy bound within the ${spec.maxShippedBytes} byte budget for this model (see metrics.variants); convert on demand with the command above` }),
      input: { name: spec.inputName, shape: [1, spec.input.size, spec.input.size, 3], dtype: 'float32', layout: 'NHWC', channels: 'RGB', range: spec.input.range, normalisation: { scale: spec.input.scale, offset: spec.input.offset, formula: 'value = pixel · scale + offset' }, note: spec.input.note },
      outputs: variants[shown].outputs.map((o) => ({ name: o.onnxName, shape: o.shape, tfTensor: o.tfName, meaning: spec.outputs[o.onnxName] })),
      metrics: {
        date,
        machine,
        faces: `${b.faceCount} FairFace val faces (val/1.jpg…) + 2 uniform random inputs; timings: median and fastest of ${b.runs} runs after 3 warm-up runs on one deterministic input, 1 thread, on a shared machine where other jobs were running`,
        parityFp32VsTfjs: { inputs: '3 faces + 1 random, tfjs-core 4.22 cpu backend', maxAbsPerOutput: Object.fromEntries(Object.entries(parity).map(([k, d]) => [k, round(d.maxAbs, 3)])) },
        acceptance: acceptance(spec).describe,
        variants: results,
        shipped: ship,
      },
    };
    writeFileSync(join(ROOT, `models/${spec.name}.card.json`), JSON.stringify(card, null, 2) + '\n');
    registry.models.push({ name: spec.name, card: `models/${spec.name}.card.json`, default: ship, files });
  }
  // Keep entries for models not rebuilt in this run.
  const registryPath = join(ROOT, 'models/registry.json');
  if (existsSync(registryPath)) {
    const old = JSON.parse(readFileSync(registryPath, 'utf8')) as { models: { name: string }[] };
    for (const m of old.models) if (!registry.models.some((n: any) => n.name === m.name)) registry.models.push(m);
  }
  registry.models.sort((a: any, b: any) => MODEL_SPECS.findIndex((s) => s.name === a.name) - MODEL_SPECS.findIndex((s) => s.name === b.name));
  writeFileSync(registryPath, JSON.stringify(registry, null, 2) + '\n');
  writeCards();
}

async function main() {
  const names = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const specs = names.length ? names.map((n) => MODEL_SPECS.find((s) => s.name === n) ?? (() => { throw new Error(`unknown model ${n}`); })()) : MODEL_SPECS;
  const built = [];
  for (const spec of specs) built.push(await buildModel(spec, arg('--faces', 16), arg('--runs', 20)));
  writeOutputs(built);
  for (const b of built) console.log(`${b.spec.name}: shipped ${b.ship} (${b.ship ? b.variants[b.ship].bytes.length : 0} bytes); parity vs tfjs ${JSON.stringify(Object.fromEntries(Object.entries(b.parity).map(([k, d]) => [k, d.maxAbs.toExponential(2)])))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
