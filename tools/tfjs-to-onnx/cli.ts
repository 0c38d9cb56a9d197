/**
 * npm run convert -- <model.json> <out.onnx> [--dtype fp32|fp16|int8] [--input-name NAME] [--output TF=ONNX ...]
 *   [--keep-float W1,W2,…]   (int8: weight initializers to store fp16 instead of int8)
 */
import { writeFileSync } from 'node:fs';
import { convertFile } from './index.js';
import type { StorageDtype } from './quantize.js';

function main(argv: string[]): void {
  const positional: string[] = [];
  const outputNames: Record<string, string> = {};
  let dtype: StorageDtype = 'fp32';
  let inputName: string | undefined;
  let keepFloat: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dtype') dtype = argv[++i] as StorageDtype;
    else if (a === '--input-name') inputName = argv[++i];
    else if (a === '--keep-float') keepFloat = argv[++i].split(',').filter(Boolean);
    else if (a === '--output') {
      const [tf, onnx] = argv[++i].split('=');
      outputNames[tf] = onnx;
    } else positional.push(a);
  }
  if (positional.length !== 2 || !['fp32', 'fp16', 'int8'].includes(dtype)) {
    console.error('usage: npm run convert -- <model.json> <out.onnx> [--dtype fp32|fp16|int8] [--input-name NAME] [--output TF=ONNX ...] [--keep-float W1,W2]');
    process.exit(2);
  }
  const [src, dst] = positional;
  const { bytes, inputs, outputs } = convertFile(src, { dtype, inputName, outputNames, int8: { keepFloat } });
  writeFileSync(dst, bytes);
  console.log(`${dst}: ${bytes.length} bytes (${dtype})`);
  for (const i of inputs) console.log(`  input  ${i.name} [${i.shape}]`);
  for (const o of outputs) console.log(`  output ${o.onnxName} [${o.shape}]  ← ${o.tfName}${o.signatureKey ? ` (${o.signatureKey})` : ''}`);
}

main(process.argv.slice(2));
