// @wasm-audio-decoders/flac's decoder, imported from its source file: the package's `exports` map
// only exposes an entry point that hides `_FLACDecoder`, the inner frame decoder on whose static
// `module` property the WebAssembly.Module must be set before it is constructed (workerd cannot
// compile the WebAssembly the package embeds). Types: flac-decoder.d.ts. A direct dependency, so
// npm always installs it at the top of node_modules.
export { default as FLACDecoder, _FLACDecoder as FLACFrameDecoder } from "../../node_modules/@wasm-audio-decoders/flac/src/FLACDecoder.js";
