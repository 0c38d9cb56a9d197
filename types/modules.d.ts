declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.onnx' {
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module 'onnxruntime-web/ort-wasm-simd-threaded.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const source: string;
  export default source;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const source: string;
  export default source;
}
// Web demo build outputs (tools/build-web.mjs → src/web/dist, wrangler Text/Data rules).
declare module '*.txt' {
  const source: string;
  export default source;
}
declare module '*.bin' {
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module '*.br' {
  const bytes: ArrayBuffer;
  export default bytes;
}
