import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage, get, post } from "../../api";
import { paths } from "../../paths";
import { Button } from "../../ui";
import { Announcer } from "./Announcer";
import type { TrackStatus } from "./api-types";
import { ProgressBar } from "./ProgressBar";

const POLL_MS = 1500;
/** The API lets a track be processed again when it made no progress for this long (a lost queue message). */
const STUCK_AFTER_MS = 15 * 60 * 1000;
const MAX_POLL_MS = 15_000;

/**
 * After the track is saved: its processing (decoding, loudness, waveform, the streaming
 * versions), polled from GET /v1/tracks/:id/status — a few bytes, unlike the whole track with its
 * waveform — until it is ready or failed. Polling slows down while the API cannot be reached.
 */
export function Processing({ trackId, title, onAnother }: { trackId: string; title: string; onAnother: () => void }) {
  const [status, setStatus] = useState<TrackStatus | null>(null);
  const [pollError, setPollError] = useState<unknown>(null);
  const [retrying, setRetrying] = useState(false);
  const [retryError, setRetryError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const readyLink = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = POLL_MS;
    const poll = async () => {
      try {
        const next = await get<TrackStatus>(`/v1/tracks/${trackId}/status`, undefined, { signal: controller.signal });
        setStatus(next);
        setPollError(null);
        delay = POLL_MS;
        if (next.status === "ready" || next.status === "failed") return;
      } catch (err) {
        if (controller.signal.aborted) return;
        setPollError(err);
        delay = Math.min(MAX_POLL_MS, delay * 2);
      }
      timer = setTimeout(() => void poll(), delay);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [trackId, nonce]);

  const state = status?.status ?? "pending";
  useEffect(() => {
    if (state === "ready") readyLink.current?.focus();
  }, [state]);

  async function reprocess() {
    setRetrying(true);
    setRetryError(null);
    try {
      await post(`/v1/tracks/${trackId}/reprocess`);
      setStatus(null);
      setNonce((n) => n + 1);
    } catch (err) {
      setRetryError(err);
    } finally {
      setRetrying(false);
    }
  }

  const progress = state === "ready" ? 100 : (status?.progress ?? 0);
  const stuck = (state === "pending" || state === "processing") && status !== null && Date.now() - Date.parse(status.updated_at) > STUCK_AFTER_MS;
  const text =
    state === "ready"
      ? "Ready: your track can be played."
      : state === "failed"
        ? `Processing failed: ${status?.error ?? "unknown reason"}`
        : state === "processing"
          ? `Preparing it for streaming: ${progress} %`
          : "Waiting for its turn to be processed…";

  return (
    <section class={`card processing processing-${state}`} aria-labelledby="processing-title">
      <h2 id="processing-title">{state === "ready" ? `“${title}” is ready` : `Processing “${title}”`}</h2>
      {state !== "ready" && (
        <p class="muted">Veza measures its loudness, draws its waveform and makes the streaming versions. You can leave this page: it goes on without you.</p>
      )}
      <ProgressBar label="Processing progress" value={progress} max={100} text={text} tone={state === "failed" ? "danger" : state === "ready" ? "success" : "accent"} />
      <p class="processing-text">{text}</p>
      <Announcer message={text} step={`${state}-${Math.floor(progress / 25)}`} urgent={state !== "processing"} />
      {pollError !== null && (
        <p class="muted" role="status">
          Could not check the progress ({errorMessage(pollError)}); trying again…
        </p>
      )}
      {(state === "failed" || stuck) && (
        <>
          {stuck && <p>Nothing has moved for a while: the processing job was probably lost.</p>}
          {retryError !== null && (
            <div class="form-error" role="alert">
              {errorMessage(retryError)}
            </div>
          )}
          <Button variant="primary" busy={retrying} onClick={() => void reprocess()}>
            Process it again
          </Button>
        </>
      )}
      <div class="form-actions">
        <a ref={readyLink} class={`btn ${state === "ready" ? "btn-primary" : "btn-secondary"}`} href={paths.track(trackId)}>
          {state === "ready" ? "Open the track page" : "Go to the track page"}
        </a>
        <Button onClick={onAnother}>Upload another track</Button>
      </div>
    </section>
  );
}
