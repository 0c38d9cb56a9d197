/**
 * The swapper under evaluation, by name, from src/processors/swapper. `classical` is registered
 * (`getSwapper`); `aei` needs its R2-loaded models, so in Node the tool builds it with
 * `createAeiSwapper` on the bytes from disk: models/aei_lite.int8.onnx and models/mobilefacenet.fp16.onnx
 * (the same keys the worker reads from R2). Missing files stop the tool with a clear message.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  AEI_MODEL_KEY, HEAR_MODEL_KEY, ID_MODEL_KEY, createAeiSwapper, createClassicalSwapper, getSwapper,
  type AeiModels, type ClassicalSwapperOptions, type Swapper,
} from '../../src/processors/swapper/index.js';

export const AEI_FILES = { aei: `models/${AEI_MODEL_KEY}`, identity: `models/${ID_MODEL_KEY}` } as const;
export const HEAR_FILE = `models/${HEAR_MODEL_KEY}`;

/** `classical` accepts tuning options (ClassicalSwapperOptions as JSON) for comparing recipes. */
export async function resolveSwapper(name: string, classicalOptions?: ClassicalSwapperOptions): Promise<Swapper> {
  if (name === 'classical' && classicalOptions) return createClassicalSwapper(classicalOptions);
  if (name === 'classical') {
    const s = getSwapper('classical');
    if (!s) throw new Error('the classical swapper is not registered in src/processors/swapper');
    return s;
  }
  if (name === 'aei' || name === 'aei+hear') {
    const hear = name === 'aei+hear';
    const missing = [...Object.values(AEI_FILES), ...(hear ? [HEAR_FILE] : [])].filter((f) => !existsSync(f));
    if (missing.length) {
      throw new Error(`--model aei needs the AEI models on disk (in the worker they come from R2): missing ${missing.join(', ')}; use --model classical or fetch them first`);
    }
    const models: AeiModels = {
      aei: { name: AEI_MODEL_KEY, bytes: new Uint8Array(readFileSync(AEI_FILES.aei)) },
      identity: { name: ID_MODEL_KEY, bytes: new Uint8Array(readFileSync(AEI_FILES.identity)) },
      ...(hear ? { hear: { name: HEAR_MODEL_KEY, bytes: new Uint8Array(readFileSync(HEAR_FILE)) } } : {}),
    };
    return createAeiSwapper(models);
  }
  throw new Error(`--model must be classical, aei or aei+hear, got '${name}'`);
}
