/**
 * Upload speed over the last few seconds: steady enough to read, quick to follow a change of
 * network. A drop in the bytes sent (a part sent again) starts the window afresh.
 */
const WINDOW_MS = 6000;
const MIN_SPAN_MS = 800;

export class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  /** Records `bytes` sent so far; answers bytes per second, or null while there is too little to tell. */
  sample(bytes: number, at = performance.now()): number | null {
    const last = this.samples.at(-1);
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = at - first.at;
    return span < MIN_SPAN_MS ? null : ((bytes - first.bytes) * 1000) / span;
  }

  reset(): void {
    this.samples = [];
  }
}
