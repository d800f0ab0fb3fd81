import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { duration as playerDuration, isPlaying, nowPlaying, position, seekTo, togglePlay } from "../../player/controls";
import { formatDuration } from "../../ui";
import { Avatar } from "./Avatar";
import { drawWaveform, waveColours, type WaveformData } from "./draw";
import type { Comment } from "./types";

interface Props {
  trackId: string;
  title: string;
  durationMs: number;
  waveform: WaveformData;
  /** The timed comments (`?timed=true`), placed along the waveform at their second. */
  comments: Comment[];
  /** Where playback would start (and a timed comment would go) while this track is not the player's. */
  cue: number;
  onCue: (ms: number) => void;
  /** Start playing this track from `ms` (it is not the player's current track). */
  onPlayFrom: (ms: number) => void;
  /** Called once, after the first time the waveform is drawn. */
  onDrawn?: () => void;
}

const ARROW_STEP_MS = 5_000;
const PAGE_STEP_MS = 30_000;

/**
 * The waveform of a track as a seek bar: a <canvas> drawn from `waveform_data` (draw.ts) in the
 * theme's colours, the played part highlighted while the player plays this track (smoothly: the
 * position the player reports a few times a second is carried forward frame by frame), a click or
 * the arrow keys to seek, and the timed comments as markers along its bottom edge.
 */
export function Waveform({ trackId, title, durationMs, waveform, comments, cue, onCue, onPlayFrom, onDrawn }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const current = nowPlaying.value?.track_id === trackId;
  const playing = current && isPlaying.value;
  const total = durationMs > 0 ? durationMs : current ? playerDuration.value : 0;
  const at = current ? position.value : cue;
  const [hover, setHover] = useState<number | null>(null);

  // What the drawing loop reads: updated on every render, read by frames without re-rendering.
  const live = useRef({ waveform, total, playing, current, cue, hover, base: at, baseAt: performance.now(), drawn: false, onDrawn });
  const s = live.current;
  if (s.base !== at || s.current !== current) {
    s.base = at;
    s.baseAt = performance.now();
  }
  Object.assign(s, { waveform, total, playing, current, cue, hover, onDrawn });

  const frame = useRef(0);
  const colours = useRef<ReturnType<typeof waveColours> | null>(null);

  function draw() {
    frame.current = 0;
    const canvas = canvasRef.current;
    if (!canvas) return;
    colours.current ??= waveColours(canvas);
    let ms = s.current ? s.base : 0;
    // Between the player's reports, move on with the clock (never more than a second ahead).
    if (s.playing) ms = Math.min(s.base + Math.min(performance.now() - s.baseAt, 1000), s.total);
    const progress = s.total > 0 ? ms / s.total : 0;
    const cursor = s.hover ?? (!s.current && s.cue > 0 && s.total > 0 ? s.cue / s.total : null);
    const drew = drawWaveform(canvas, s.waveform, progress, cursor, colours.current);
    if (drew && !s.drawn) {
      s.drawn = true;
      s.onDrawn?.();
    }
    if (s.playing) frame.current = requestAnimationFrame(draw);
  }
  const schedule = () => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  };

  // Draw after every render (position, hover, cue, playing changed); the first time synchronously.
  useLayoutEffect(() => {
    if (!s.drawn) draw();
    else schedule();
  });

  // Redraw when the box changes size, and in the new colours when the theme changes.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const resized = new ResizeObserver(() => schedule());
    resized.observe(canvas);
    const recolour = () => {
      colours.current = null;
      schedule();
    };
    const themed = new MutationObserver(recolour);
    themed.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const scheme = matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", recolour);
    const dpr = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    dpr.addEventListener("change", schedule);
    return () => {
      resized.disconnect();
      themed.disconnect();
      scheme.removeEventListener("change", recolour);
      dpr.removeEventListener("change", schedule);
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, []);

  const clamp = (ms: number) => Math.max(0, Math.min(ms, Math.max(0, total - 250)));

  function seek(ms: number) {
    const target = clamp(ms);
    if (current) seekTo(target);
    else onCue(target);
  }

  function fractionAt(e: PointerEvent | MouseEvent): number {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return rect.width > 0 ? Math.max(0, Math.min(1, (e.clientX - rect.left) / rect.width)) : 0;
  }

  function onClick(e: MouseEvent) {
    if (total <= 0) return;
    const ms = clamp(fractionAt(e) * total);
    if (current) seekTo(ms);
    else {
      onCue(ms);
      onPlayFrom(ms);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (total <= 0) return;
    const steps: Record<string, number> = {
      ArrowRight: ARROW_STEP_MS,
      ArrowUp: ARROW_STEP_MS,
      ArrowLeft: -ARROW_STEP_MS,
      ArrowDown: -ARROW_STEP_MS,
      PageUp: PAGE_STEP_MS,
      PageDown: -PAGE_STEP_MS,
    };
    if (e.key in steps) seek(at + steps[e.key]!);
    else if (e.key === "Home") seek(0);
    else if (e.key === "End") seek(total);
    else if (e.key === "Enter" || e.key === " ") {
      if (current) void togglePlay().catch(() => undefined);
      else onPlayFrom(cue);
    } else return;
    e.preventDefault();
  }

  const hoverMs = hover !== null ? hover * total : null;

  return (
    <div class="waveform">
      <div
        class="waveform-slider"
        role="slider"
        tabIndex={0}
        aria-label={`Seek in ${title}`}
        aria-valuemin={0}
        aria-valuemax={Math.round(total / 1000)}
        aria-valuenow={Math.round(at / 1000)}
        aria-valuetext={`${formatDuration(at)} of ${formatDuration(total)}${current ? (playing ? ", playing" : ", paused") : ""}`}
        aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End Enter"
        onClick={onClick}
        onKeyDown={onKeyDown}
        onPointerMove={(e) => setHover(e.pointerType === "touch" ? null : fractionAt(e))}
        onPointerLeave={() => setHover(null)}
      >
        <canvas ref={canvasRef} class="waveform-canvas" data-track-id={trackId} aria-hidden="true" />
        {hoverMs !== null && (
          <span class="waveform-hover-time" style={{ left: `${(hover ?? 0) * 100}%` }} aria-hidden="true">
            {formatDuration(hoverMs)}
          </span>
        )}
        <span class="waveform-time waveform-time-at" aria-hidden="true">
          {formatDuration(at)}
        </span>
        <span class="waveform-time waveform-time-total" aria-hidden="true">
          {formatDuration(total)}
        </span>
      </div>
      <Markers comments={comments} total={total} onSeek={(ms) => (current ? seekTo(ms) : onPlayFrom(ms))} />
    </div>
  );
}

/** Timed comments along the waveform: each an avatar at its second, the comment shown on hover or focus. */
function Markers({ comments, total, onSeek }: { comments: Comment[]; total: number; onSeek: (ms: number) => void }) {
  if (total <= 0) return null;
  const placed = comments.filter((c) => !c.deleted && c.timestamp_seconds !== null && c.author && c.content !== null);
  if (placed.length === 0) return <div class="waveform-markers" />;
  return (
    <ul class="waveform-markers" aria-label={`${placed.length} timed ${placed.length === 1 ? "comment" : "comments"}`}>
      {placed.map((c) => {
        const ms = c.timestamp_seconds! * 1000;
        const pct = Math.max(0, Math.min(100, (ms / total) * 100));
        const name = c.author!.display_name ?? `@${c.author!.username}`;
        const edge = pct < 15 ? " marker-start" : pct > 85 ? " marker-end" : "";
        return (
          <li key={c.id} class={`waveform-marker${edge}`} style={{ left: `${pct}%` }} data-comment-id={c.id} data-seconds={c.timestamp_seconds}>
            <button type="button" class="marker-button" aria-label={`${name} at ${formatDuration(ms)}: ${c.content}`} onClick={() => onSeek(ms)}>
              <Avatar url={c.author!.avatar_url} name={name} />
            </button>
            <span class="marker-tip" aria-hidden="true">
              <strong>{name}</strong> <span class="muted">at {formatDuration(ms)}</span>
              <span class="marker-tip-text">{c.content}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
