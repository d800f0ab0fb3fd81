import type { FLACDecoder as PackageFLACDecoder } from "@wasm-audio-decoders/flac";

export declare const FLACDecoder: typeof PackageFLACDecoder;
/** The frame decoder FLACDecoder constructs; reads its WebAssembly from `module` when constructed. */
export declare const FLACFrameDecoder: { module?: WebAssembly.Module };
