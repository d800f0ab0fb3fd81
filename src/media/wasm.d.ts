// A .wasm import is a compiled WebAssembly.Module, in workerd and in wrangler's bundle alike
// (wrangler's default CompiledWasm rule); workerd cannot compile WebAssembly from bytes at run time.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
