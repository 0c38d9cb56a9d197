#!/usr/bin/env node
/**
 * Compiles assembly/index.ts (AssemblyScript, wasm SIMD) into src/wasm/kernels.wasm.
 * Stub runtime: the kernels never allocate; JS owns all memory above heapBase() and grows it on demand.
 * Usage: node tools/build-wasm.mjs [--debug]   (the `build:wasm` npm script)
 */
import asc from 'assemblyscript/asc';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'src/wasm/kernels.wasm');
const debug = process.argv.includes('--debug');

mkdirSync(dirname(outFile), { recursive: true });
const args = [
  join(root, 'assembly/index.ts'),
  '--outFile', outFile,
  '--enable', 'simd',
  '--runtime', 'stub',
  // One 64 KiB page covers static data and the stack-free kernels; buffers are grown from JS (memory.grow).
  '--initialMemory', '1',
  '--noAssert',
  ...(debug ? ['--debug', '-O0', '--sourceMap'] : ['-O3', '--converge']),
];
const started = Date.now();
const { error, stderr } = await asc.main(args);
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
}
const size = statSync(outFile).size;
console.log(`build-wasm: ${outFile.slice(root.length + 1)} ${size} B in ${Date.now() - started} ms`);
