/**
 * Drawing a track's waveform on a <canvas>. The API's `waveform` is BBC audiowaveform's JSON
 * (src/media/waveform.ts): one channel, 8 bits, `length` pixels of min/max pairs in `data`
 * (min0, max0, min1, max1, … each -128..127) over the whole track.
 *
 * Drawn as bars, in device pixels (crisp on HiDPI screens): each bar takes the lowest min and the
 * highest max of the waveform pixels it covers, and the tallest peak of the track fills the
 * height, so quiet recordings still show their shape. Bars left of `progress` take the played
 * colour; a bar the progress crosses is split at the exact point.
 */

export interface WaveformData {
  length: number;
  data: number[];
}

export interface WaveColours {
  wave: string;
  played: string;
  /** The line under the pointer (or the keyboard's target); "" for none. */
  cursor: string;
}

/** Bars of this many CSS pixels, with this gap between them. */
const BAR_CSS_PX = 2;
const GAP_CSS_PX = 1;

export interface Bars {
  /** Per bar: top (max) and bottom (min), as fractions -1..1 of the half height. */
  top: Float32Array;
  bottom: Float32Array;
}

/** The bars for `count` columns, from a waveform of any length (more or fewer pixels than bars). */
export function barsOf(waveform: WaveformData, count: number): Bars {
  const top = new Float32Array(count);
  const bottom = new Float32Array(count);
  const length = Math.min(waveform.length, Math.floor(waveform.data.length / 2));
  if (length <= 0 || count <= 0) return { top, bottom };
  let peak = 1;
  for (let i = 0; i < length * 2; i++) peak = Math.max(peak, Math.abs(waveform.data[i] ?? 0));
  for (let b = 0; b < count; b++) {
    let from = Math.floor((b * length) / count);
    let to = Math.floor(((b + 1) * length) / count);
    if (to <= from) to = from + 1;
    if (from >= length) from = length - 1;
    let min = Infinity;
    let max = -Infinity;
    for (let p = from; p < Math.min(to, length); p++) {
      const lo = waveform.data[2 * p] ?? 0;
      const hi = waveform.data[2 * p + 1] ?? 0;
      if (lo < min) min = lo;
      if (hi > max) max = hi;
    }
    top[b] = Math.max(max, 0) / peak;
    bottom[b] = Math.min(min, 0) / peak;
  }
  return { top, bottom };
}

/**
 * Sizes the canvas's backing store to its CSS box times the device pixel ratio (so one canvas pixel
 * is one screen pixel) and answers the size in device pixels. Changing the size clears the canvas.
 */
export function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; ratio: number } {
  const ratio = Math.max(1, window.devicePixelRatio || 1);
  const rect = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width * ratio));
  const height = Math.max(1, Math.round(rect.height * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  return { width, height, ratio };
}

/** Bars cache: recomputed only when the waveform or the number of bars changes. */
let cached: { waveform: WaveformData; count: number; bars: Bars } | null = null;

/**
 * Draws the waveform: `progress` (0..1) played, `cursor` (0..1 or null) a thin line where the
 * pointer is. Answers whether anything was drawn.
 */
export function drawWaveform(canvas: HTMLCanvasElement, waveform: WaveformData, progress: number, cursor: number | null, colours: WaveColours): boolean {
  const ctx = canvas.getContext("2d");
  if (!ctx) return false;
  const { width, height, ratio } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const bar = Math.max(1, Math.round(BAR_CSS_PX * ratio));
  const gap = Math.max(1, Math.round(GAP_CSS_PX * ratio));
  const step = bar + gap;
  const count = Math.max(1, Math.floor((width + gap) / step));
  if (!cached || cached.waveform !== waveform || cached.count !== count) cached = { waveform, count, bars: barsOf(waveform, count) };
  const { top, bottom } = cached.bars;
  const mid = Math.round(height * 0.5);
  const half = mid - Math.round(ratio);
  const playedX = Math.max(0, Math.min(1, progress)) * width;
  const minHeight = Math.max(1, Math.round(ratio));

  for (let b = 0; b < count; b++) {
    const x = b * step;
    const y0 = Math.round(mid - (top[b] ?? 0) * half);
    const y1 = Math.round(mid - (bottom[b] ?? 0) * half);
    const h = Math.max(minHeight, y1 - y0);
    if (x + bar <= playedX) {
      ctx.fillStyle = colours.played;
      ctx.fillRect(x, y0, bar, h);
    } else if (x >= playedX) {
      ctx.fillStyle = colours.wave;
      ctx.fillRect(x, y0, bar, h);
    } else {
      const split = Math.round(playedX - x);
      ctx.fillStyle = colours.played;
      ctx.fillRect(x, y0, split, h);
      ctx.fillStyle = colours.wave;
      ctx.fillRect(x + split, y0, bar - split, h);
    }
  }
  if (cursor !== null && colours.cursor) {
    ctx.fillStyle = colours.cursor;
    ctx.fillRect(Math.round(Math.max(0, Math.min(1, cursor)) * width), 0, Math.max(1, Math.round(ratio)), height);
  }
  return true;
}

/** The theme's colours for the waveform, from custom properties on the canvas (track.css). */
export function waveColours(canvas: HTMLElement): WaveColours {
  const style = getComputedStyle(canvas);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { wave: read("--wave", "#9a9aab"), played: read("--wave-played", "#5b3df5"), cursor: read("--wave-cursor", "") };
}
