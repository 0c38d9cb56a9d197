/**
 * workerd refuses to compile WebAssembly from bytes at run time, and onnxruntime-web 1.30 has no
 * `instantiateWasm` hook. We import ORT's wasm as a pre-compiled module (wrangler's CompiledWasm
 * rule) and route the one `WebAssembly.instantiate(bytes, imports)` call the emscripten glue makes
 * to that module. See src/wasm/README.md.
 */
import ortWasmModule from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';

let installed = false;
let memory: WebAssembly.Memory | null = null;

/** Bytes of onnxruntime's wasm linear memory (models, arena; it grows and never shrinks), or null before the first session. */
export function ortWasmMemoryBytes(): number | null {
  return memory ? memory.buffer.byteLength : null;
}

/** The emscripten glue hands its memory in as an import (exported by other builds): found either way. */
function findMemory(imports: WebAssembly.Imports | undefined, instance: WebAssembly.Instance): WebAssembly.Memory | null {
  const candidates = [...Object.values(instance.exports), ...Object.values(imports ?? {}).flatMap((m) => Object.values(m))];
  return (candidates.find((v) => v instanceof WebAssembly.Memory) as WebAssembly.Memory | undefined) ?? null;
}

export function installOrtWasmShim(): void {
  if (installed) return;
  installed = true;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    source: WebAssembly.Module | BufferSource,
    imports?: WebAssembly.Imports,
  ) => Promise<unknown>;
  (WebAssembly as { instantiate: unknown }).instantiate = async (
    source: WebAssembly.Module | BufferSource,
    imports?: WebAssembly.Imports,
  ) => {
    if (source instanceof WebAssembly.Module) return instantiate(source, imports);
    const instance = (await instantiate(ortWasmModule, imports)) as WebAssembly.Instance;
    memory = findMemory(imports, instance);
    return { instance, module: ortWasmModule };
  };
}
