import lameWasm from "./wasm/lame-encoder.wasm";

/** The build of wasm-media-encoders whose WebAssembly is committed, and whose ABI this file speaks. */
const WASM_VERSION = "wasm-media-encoders-0.7.0";

interface LameExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  version(): number;
  mime_type(): number;
  malloc(size: number): number;
  free(ptr: number): void;
  enc_init(params: number): number;
  enc_get_pcm(ref: number, frames: number): number;
  enc_encode(ref: number, frames: number): number;
  enc_get_out_buf(ref: number): number;
  enc_flush(ref: number): number;
  enc_free(ref: number): void;
}

export interface Mp3EncoderOptions {
  channels: 1 | 2;
  /** Of the input. */
  sampleRate: number;
  /** Of the MP3 (LAME resamples when it differs): 32, 44.1 or 48 kHz. */
  outputSampleRate: number;
  /** CBR, in kbps. */
  bitrate: number;
}

/**
 * LAME (the WebAssembly of wasm-media-encoders), several CBR encoders in one instance.
 *
 * wasm-media-encoders' JavaScript gives every encoder a WebAssembly instance of its own, and each
 * instance starts with 16 MiB of memory, of which an encoder's state uses well under one: three
 * renditions would take 48 MiB of a Worker's 128. So this speaks the same small ABI (enc_init,
 * enc_get_pcm, enc_encode, enc_flush, enc_free: see its dist/esnext/index.mjs) to one instance
 * shared by all the renditions' encoders.
 */
export class Lame {
  private constructor(private readonly wasm: LameExports) {}

  static async instantiate(): Promise<Lame> {
    const instance = await WebAssembly.instantiate(lameWasm, {
      wasi_snapshot_preview1: { proc_exit: (code: number) => { throw new Error(`LAME exited (${code})`); } },
      env: { emscripten_notify_memory_growth: () => {} },
    });
    const wasm = instance.exports as unknown as LameExports;
    wasm._initialize();
    const lame = new Lame(wasm);
    const version = lame.string(wasm.version());
    if (version !== WASM_VERSION) throw new Error(`src/media/wasm/lame-encoder.wasm is ${version}, not ${WASM_VERSION}: rerun scripts/media/extract-wasm.ts`);
    return lame;
  }

  encoder(options: Mp3EncoderOptions): Mp3Encoder {
    // enc_init reads: u32 channels, u32 sample rate, then the MP3 parameters: i32 bitrate,
    // f32 VBR quality (−1: CBR), i32 output sample rate.
    const params = new ArrayBuffer(20);
    const view = new DataView(params);
    view.setUint32(0, options.channels, true);
    view.setUint32(4, options.sampleRate, true);
    view.setInt32(8, options.bitrate, true);
    view.setFloat32(12, -1, true);
    view.setInt32(16, options.outputSampleRate, true);
    const ptr = this.wasm.malloc(params.byteLength);
    if (!ptr) throw new Error("LAME: out of memory for the encoder's parameters");
    new Uint8Array(this.wasm.memory.buffer, ptr, params.byteLength).set(new Uint8Array(params));
    try {
      const ref = this.wasm.enc_init(ptr);
      if (!ref) throw new Error(`LAME refused ${options.bitrate} kbps at ${options.outputSampleRate} Hz`);
      return new Mp3Encoder(this.wasm, ref, options.channels);
    } finally {
      this.wasm.free(ptr);
    }
  }

  private string(ptr: number): string {
    const bytes = new Uint8Array(this.wasm.memory.buffer, ptr);
    return String.fromCharCode(...bytes.subarray(0, bytes.indexOf(0)));
  }
}

export class Mp3Encoder {
  constructor(private readonly wasm: LameExports, private ref: number, private readonly channels: number) {}

  /**
   * Encodes `frames` samples of each channel; returns the MP3 bytes LAME completed, a view into
   * its memory that the next call overwrites (consume it before).
   */
  encode(channels: readonly Float32Array[], frames: number): Uint8Array {
    if (frames === 0) return new Uint8Array(0);
    const pointers = this.wasm.enc_get_pcm(this.ref, frames);
    if (!pointers) throw new Error("LAME: out of memory for the input");
    // Views are made per call: memory.buffer changes if the memory ever grows.
    const memory = this.wasm.memory.buffer;
    const table = new Uint32Array(memory, pointers, this.channels);
    for (let c = 0; c < this.channels; c++) new Float32Array(memory, table[c]!, frames).set(channels[c]!.subarray(0, frames));
    return this.output(this.wasm.enc_encode(this.ref, frames));
  }

  /** The last frames (LAME pads the final one); the encoder is freed. */
  flush(): Uint8Array {
    const bytes = this.output(this.wasm.enc_flush(this.ref)).slice();
    this.free();
    return bytes;
  }

  free(): void {
    if (this.ref) this.wasm.enc_free(this.ref);
    this.ref = 0;
  }

  private output(length: number): Uint8Array {
    if (length < 0) throw new Error(`LAME failed to encode (${length})`);
    return new Uint8Array(this.wasm.memory.buffer, this.wasm.enc_get_out_buf(this.ref), length);
  }
}
