/**
 * workerd refuses to compile WebAssembly from bytes at run time, and onnxruntime-web 1.30 has no
 * `instantiateWasm` hook. We import ORT's wasm as a pre-compiled module (wrangler's CompiledWasm
 * rule) and route the one `WebAssembly.instantiate(bytes, imports)` call the emscripten glue makes
 * to that module. See src/wasm/README.md.
 */
import ortWasmModule from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';

let installed = false;

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
    const instance = await instantiate(ortWasmModule, imports);
    return { instance, module: ortWasmModule };
  };
}
