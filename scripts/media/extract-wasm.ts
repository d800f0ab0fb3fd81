/**
 * `npx tsx scripts/media/extract-wasm.ts`: writes the WebAssembly of the audio codecs to
 * src/media/wasm/, where the Worker imports them as modules.
 *
 * workerd refuses to compile WebAssembly from bytes at run time ("Wasm code generation disallowed
 * by embedder"), so a codec must be handed a `WebAssembly.Module` that the bundler imported from a
 * .wasm file. The mpg123 and FLAC decoders only ship their WebAssembly inside their JavaScript, as a
 * yEnc string compressed with deflate, which their own loader inflates and compiles at run time:
 * here, in Node, the packages' loader does it once and the bytes are committed. LAME's .wasm is a
 * plain file, copied so that all three are imported the same way (the `exports` map of
 * wasm-media-encoders misspells its path). test/scripts/media-wasm.test.ts checks that the committed
 * files are still what the installed packages yield; rerun this after upgrading any of them.
 */
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const root = new URL("../../", import.meta.url).pathname;
export const wasmDir = `${root}src/media/wasm/`;

/** The file each codec's WebAssembly is committed as, under src/media/wasm/. */
export const wasmFiles = {
  mpg123: "mpg123-decoder.wasm",
  flac: "flac-decoder.wasm",
  lame: "lame-encoder.wasm",
} as const;

type EmscriptenWasm = { new (common: unknown): unknown; wasm: string };
interface DecoderCommon {
  new (): unknown;
  inflateDynEncodeString(source: string): Promise<Uint8Array>;
}

/** Inflates the WebAssembly a wasm-audio-decoders package embeds in its EmscriptenWasm.js. */
async function embeddedWasm(emscriptenWasmPath: string): Promise<Uint8Array> {
  // Imported by path: the packages' `exports` maps only expose their entry points.
  const common = (await import(pathToFileURL(`${root}node_modules/@wasm-audio-decoders/common/src/WASMAudioDecoderCommon.js`).href)).default as DecoderCommon;
  const Emscripten = (await import(pathToFileURL(`${root}node_modules/${emscriptenWasmPath}`).href)).default as EmscriptenWasm;
  new common(); // defines the static helpers
  new Emscripten(common); // defines the lazy `wasm` string
  return common.inflateDynEncodeString(Emscripten.wasm);
}

/** The bytes the installed packages yield, by codec. */
export async function extractWasm(): Promise<Record<keyof typeof wasmFiles, Uint8Array>> {
  return {
    mpg123: await embeddedWasm("mpg123-decoder/src/EmscriptenWasm.js"),
    flac: await embeddedWasm("@wasm-audio-decoders/flac/src/EmscriptenWasm.js"),
    lame: new Uint8Array(await readFile(`${root}node_modules/wasm-media-encoders/wasm/mp3.wasm`)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const extracted = await extractWasm();
  for (const [codec, bytes] of Object.entries(extracted)) {
    if (!WebAssembly.validate(bytes)) throw new Error(`${codec}: the extracted bytes are not valid WebAssembly`);
    const file = wasmFiles[codec as keyof typeof wasmFiles];
    await writeFile(`${wasmDir}${file}`, bytes);
    console.log(`${file}: ${bytes.length} bytes`);
  }
}
