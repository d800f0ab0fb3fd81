// "@eshaz/web-worker" in the Worker bundle (wrangler.toml [alias]). @wasm-audio-decoders/common
// evaluates `class WASMAudioDecoderWorker extends (globalThis.Worker || NodeWorker)` when imported;
// workerd has no Worker, and the package's browser build (`module.exports = Worker`) throws a
// ReferenceError at load. Veza decodes in the Worker itself and never builds the decoders' Web
// Worker variants, so any constructable class will do as the base.
export default class WebWorkerUnavailable {
  constructor() {
    throw new Error("Web Workers are not available in workerd");
  }
}
