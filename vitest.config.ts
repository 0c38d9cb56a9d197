import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Mirrors wrangler's module rules in Node so that pipeline code and its unit tests share one import
 * path: `*.wasm` becomes a compiled WebAssembly.Module (CompiledWasm) and `*.onnx` an ArrayBuffer (Data).
 */
function workerModuleRules(): Plugin {
  return {
    name: 'seamline-worker-module-rules',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source === 'onnxruntime-web/ort-wasm-simd-threaded.wasm') {
        return '\0wasm:' + require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
      }
      if (/\.(wasm|onnx)$/.test(source)) {
        const resolved = await this.resolve(source, importer, { skipSelf: true });
        if (resolved) return (source.endsWith('.wasm') ? '\0wasm:' : '\0onnx:') + resolved.id;
      }
      return null;
    },
    load(id) {
      if (id.startsWith('\0wasm:')) {
        const file = id.slice(6);
        return `import { readFileSync } from 'node:fs';\nexport default new WebAssembly.Module(readFileSync(${JSON.stringify(file)}));`;
      }
      if (id.startsWith('\0onnx:')) {
        const file = id.slice(6);
        return `import { readFileSync } from 'node:fs';\nconst b = readFileSync(${JSON.stringify(file)});\nexport default b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);`;
      }
      return null;
    },
  };
}

export default defineConfig({
  plugins: [workerModuleRules()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts', 'packages/**/*.test.ts', 'plugins/**/*.test.ts'],
    // The rule's ids for package wasm (\0wasm:/…/node_modules/…) would otherwise be externalized to Node's loader.
    server: { deps: { inline: [/^\0(wasm|onnx):/] } },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: false, maxForks: 2 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
