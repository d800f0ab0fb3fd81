/**
 * Decoded audio: planar channels of float samples in [-1, 1]. The arrays may be longer than
 * `frames`, and belong to whoever produced the block: they are only valid until its next call.
 */
export interface PcmBlock {
  channels: readonly Float32Array[];
  frames: number;
}

/**
 * Regroups decoded audio of whatever size the decoders produce (a few frames to a whole chunk of
 * the source) into blocks of a fixed size, so that every later stage runs its loops over a
 * reasonable length and the encoder is called a few times a second rather than per MPEG frame.
 */
export class PcmBlocker {
  private readonly buffers: Float32Array[];
  private filled = 0;

  constructor(channels: number, readonly blockFrames: number) {
    this.buffers = Array.from({ length: channels }, () => new Float32Array(blockFrames));
  }

  /** Adds `pcm`, calling `onBlock` for each block it completes (the block is reused afterwards). */
  async push(pcm: PcmBlock, onBlock: (block: PcmBlock) => Promise<void>): Promise<void> {
    let offset = 0;
    while (offset < pcm.frames) {
      const n = Math.min(this.blockFrames - this.filled, pcm.frames - offset);
      for (let c = 0; c < this.buffers.length; c++) {
        this.buffers[c]!.set(pcm.channels[c]!.subarray(offset, offset + n), this.filled);
      }
      this.filled += n;
      offset += n;
      if (this.filled === this.blockFrames) {
        this.filled = 0;
        await onBlock({ channels: this.buffers, frames: this.blockFrames });
      }
    }
  }

  /** The last, partial block, if any. */
  async flush(onBlock: (block: PcmBlock) => Promise<void>): Promise<void> {
    if (this.filled === 0) return;
    const frames = this.filled;
    this.filled = 0;
    await onBlock({ channels: this.buffers, frames });
  }
}
