import { effect } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, del, errorMessage, get, put } from "../../api";
import { paths } from "../../paths";
import { enqueue, isPlaying, nowPlaying, playTrack, seekTo, togglePlay, warmUp } from "../../player/controls";
import { me, signedIn } from "../../session";
import { Button, Loading, Time, UserLink, formatDuration, useApi, usePageTitle } from "../../ui";
import { AddToPlaylist } from "./AddToPlaylist";
import { Comments } from "./Comments";
import { Waveform } from "./Waveform";
import type { Comment, LikeState, Page, Track, TrackStatus } from "./types";
import "./track.css";

const POLL_MS = 2_000;
const EMPTY_WAVEFORM = { length: 0, data: [] as number[] };
const count = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

/**
 * `/tracks/:id`: a track's page — cover, title, artist, details, counts; play, queue, like, add to
 * a playlist, share, download; the waveform with the timed comments along it; the comments. A
 * track still being processed shows its progress and turns into the full page when it is ready.
 */
export function TrackPage({ id }: { id: string }) {
  const state = useApi<Track>(`/v1/tracks/${encodeURIComponent(id)}`);
  const track = state.data?.id === id ? state.data : undefined;
  usePageTitle(track?.title ?? (state.error ? "Track not found" : "Track"));

  if (!track) {
    if (state.error) return <TrackError error={state.error} retry={state.reload} />;
    return <Loading label="Loading the track…" />;
  }
  return <TrackView key={track.id} track={track} setTrack={state.setData} reload={state.reload} />;
}

function TrackError({ error, retry }: { error: unknown; retry: () => void }) {
  const missing = error instanceof ApiError && (error.status === 404 || error.status === 422);
  return (
    <section aria-labelledby="track-error-title">
      <h1 id="track-error-title">{missing ? "Track not found" : "This track could not be loaded"}</h1>
      {missing ? (
        <p>There is no track at this address, or it is private. It may have been deleted.</p>
      ) : (
        <div role="alert" class="form-error">
          {errorMessage(error)} <Button onClick={retry}>Try again</Button>
        </div>
      )}
      <p>
        <a href={paths.search()}>Search Veza</a> or <a href={paths.home}>go to your feed</a>.
      </p>
    </section>
  );
}

function TrackView({ track, setTrack, reload }: { track: Track; setTrack: (t: Track) => void; reload: () => void }) {
  const ready = track.status === "ready";
  const owner = me.value?.id === track.creator.id;
  const [timed, setTimed] = useState<Comment[]>([]);
  const [cue, setCue] = useState(0);
  const [status, setStatus] = useState("");
  const [actionError, setActionError] = useState("");
  const marked = useRef(false);
  const current = nowPlaying.value?.track_id === track.id;
  const playing = current && isPlaying.value;

  // The timed comments along the waveform (every one of them, up to the API's 500).
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    get<Page<Comment>>(`/v1/tracks/${track.id}/comments`, { timed: "true" }, { signal: controller.signal })
      .then((page) => setTimed(page.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [track.id, ready]);

  function say(message: string) {
    setActionError("");
    setStatus(message);
  }
  function fail(err: unknown) {
    setStatus("");
    setActionError(errorMessage(err));
  }

  async function play(fromMs?: number) {
    try {
      if (current && fromMs === undefined) {
        await togglePlay();
        return;
      }
      if (!current) {
        await playTrack(track);
        // The player loads the audio after the queue has it: seek once it really plays.
        if (fromMs !== undefined && fromMs > 0) await whenPlaying(track.id);
      }
      if (fromMs !== undefined && fromMs > 0) seekTo(fromMs);
    } catch (err) {
      fail(err);
    }
  }

  async function addToQueue() {
    try {
      await enqueue(track);
      say(`${track.title} was added to the queue.`);
    } catch (err) {
      fail(err);
    }
  }

  const counts = track.counts;
  const onAdded = (c: Comment) => {
    if (c.timestamp_seconds !== null) setTimed((list) => [...list, c].sort((a, b) => a.timestamp_seconds! - b.timestamp_seconds!));
    setTrack({ ...track, counts: { ...counts, comments: counts.comments + 1 } });
  };
  const onDeleted = (c: Comment) => {
    setTimed((list) => list.filter((x) => x.id !== c.id));
    setTrack({ ...track, counts: { ...counts, comments: Math.max(0, counts.comments - 1) } });
  };
  const onDrawn = () => {
    if (marked.current) return;
    marked.current = true;
    performance.mark("veza:track-rendered", { detail: { trackId: track.id } });
  };

  const name = track.creator.display_name ?? `@${track.creator.username}`;
  const details: [string, string][] = [];
  if (track.genre) details.push(["Genre", track.genre]);
  if (track.bpm !== null) details.push(["BPM", String(track.bpm)]);
  if (track.musical_key) details.push(["Key", track.musical_key]);
  if (track.album) details.push(["Album", track.album]);
  if (track.duration_ms !== null) details.push(["Length", formatDuration(track.duration_ms)]);

  return (
    <article class="track-page" aria-labelledby="track-title">
      <header class="track-hero">
        {track.cover_url ? (
          <img class="track-cover" src={track.cover_url} alt={`Cover of ${track.title}`} width={192} height={192} />
        ) : (
          <div class="track-cover track-cover-empty" aria-hidden="true" />
        )}
        <div class="track-heading">
          <h1 id="track-title">{track.title}</h1>
          <p class="track-by">
            {track.artist && track.artist !== name ? <span>{track.artist} · </span> : null}
            <UserLink user={track.creator} />
            {track.visibility !== "public" && <span class="track-badge">{track.visibility === "private" ? "Private" : "Unlisted"}</span>}
          </p>
          {track.published_at && (
            <p class="muted track-published">
              Published <Time value={track.published_at} />
            </p>
          )}
          {ready && (
            <div class="track-actions">
              <Button variant="primary" class="track-play" onClick={() => void play()} onPointerEnter={warmUp} onFocus={warmUp} aria-label={playing ? `Pause ${track.title}` : `Play ${track.title}`}>
                <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span> {playing ? "Pause" : "Play"}
              </Button>
              <Button onClick={() => void addToQueue()}>Add to queue</Button>
              <LikeButton track={track} setTrack={setTrack} onError={fail} />
              {signedIn.value && <AddToPlaylist trackId={track.id} onAdded={say} />}
              <ShareButton track={track} onDone={say} onError={fail} />
              {(track.is_downloadable || owner) && track.stream && (
                <a class="btn btn-secondary" href={downloadUrl(track)} download>
                  Download
                </a>
              )}
            </div>
          )}
          <p class="track-status" role="status" aria-live="polite">
            {status}
          </p>
          {actionError && (
            <p class="form-error" role="alert">
              {actionError}
            </p>
          )}
        </div>
      </header>

      {ready ? (
        <Waveform
          trackId={track.id}
          title={track.title}
          durationMs={track.duration_ms ?? 0}
          waveform={track.waveform ?? EMPTY_WAVEFORM}
          comments={timed}
          cue={cue}
          onCue={setCue}
          onPlayFrom={(ms) => void play(ms)}
          onDrawn={onDrawn}
        />
      ) : (
        <Processing track={track} owner={owner} onReady={reload} />
      )}

      <section class="track-about" aria-label="About this track">
        <ul class="track-counts" aria-label="Counts">
          <li>
            <strong>{count.format(counts.plays)}</strong> {counts.plays === 1 ? "play" : "plays"}
          </li>
          <li>
            <strong>{count.format(counts.likes)}</strong> {counts.likes === 1 ? "like" : "likes"}
          </li>
          <li>
            <strong>{count.format(counts.comments)}</strong> {counts.comments === 1 ? "comment" : "comments"}
          </li>
          {track.is_downloadable && (
            <li>
              <strong>{count.format(counts.downloads)}</strong> {counts.downloads === 1 ? "download" : "downloads"}
            </li>
          )}
        </ul>
        {details.length > 0 && (
          <dl class="track-details">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
        {track.description && <p class="track-description">{track.description}</p>}
      </section>

      <Comments
        track={{ id: track.id, creatorId: track.creator.id, durationMs: ready ? track.duration_ms : null }}
        cue={cue}
        onAdded={onAdded}
        onDeleted={onDeleted}
        onSeek={(ms) => {
          setCue(ms);
          if (current) seekTo(ms);
          else void play(ms);
        }}
      />
    </article>
  );
}

/** Resolves once the player plays this track (or after `timeoutMs`, whatever happened). */
function whenPlaying(trackId: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => stop?.());
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    stop = effect(() => {
      if (nowPlaying.value?.track_id === trackId && isPlaying.value) finish();
    });
    if (done) stop();
  });
}

/** The original's download link: a private track's (owner only) carries the stream's signature. */
function downloadUrl(track: Track): string {
  const query = track.stream?.master_url.split("?")[1];
  return `/v1/tracks/${track.id}/download${query ? `?${query}` : ""}`;
}

function LikeButton({ track, setTrack, onError }: { track: Track; setTrack: (t: Track) => void; onError: (err: unknown) => void }) {
  const [liked, setLiked] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const account = signedIn.value;

  useEffect(() => {
    if (!account) return;
    const controller = new AbortController();
    get<{ track_id: string; liked: boolean }[]>("/v1/me/likes/contains", { track_ids: track.id }, { signal: controller.signal })
      .then((answer) => setLiked(answer[0]?.liked ?? false))
      .catch(() => setLiked(false));
    return () => controller.abort();
  }, [track.id, account]);

  if (!account) {
    return (
      <a class="btn btn-secondary" href={paths.signIn(location.pathname)}>
        <span aria-hidden="true">♡</span> Sign in to like
      </a>
    );
  }

  async function toggle() {
    setBusy(true);
    try {
      const path = `/v1/tracks/${track.id}/like`;
      const state = liked ? await del<LikeState>(path) : await put<LikeState>(path);
      setLiked(state.liked);
      setTrack({ ...track, counts: { ...track.counts, likes: state.like_count } });
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Button class={`like-button${liked ? " is-liked" : ""}`} aria-pressed={liked ?? false} busy={busy || liked === null} onClick={() => void toggle()}>
      <span aria-hidden="true">{liked ? "♥" : "♡"}</span> {liked ? "Liked" : "Like"}
    </Button>
  );
}

function ShareButton({ track, onDone, onError }: { track: Track; onDone: (m: string) => void; onError: (err: unknown) => void }) {
  const [fallback, setFallback] = useState<string | null>(null);
  const url = new URL(paths.track(track.id), location.origin).toString();

  async function share() {
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title: track.title, text: `${track.title} by ${track.creator.display_name ?? track.creator.username} on Veza`, url });
        return;
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setFallback(null);
      onDone("The link to this track was copied.");
    } catch {
      // No clipboard (permissions, an old browser): show the link to copy by hand.
      setFallback(url);
    }
  }

  return (
    <>
      <Button onClick={() => void share().catch(onError)}>Share</Button>
      {fallback && (
        <label class="share-fallback">
          <span>Link to this track</span>
          <input type="url" readOnly value={fallback} onFocus={(e) => e.currentTarget.select()} ref={(el) => el?.focus()} />
        </label>
      )}
    </>
  );
}

/** Not ready yet: the processing progress (polled), or why it failed. */
function Processing({ track, owner, onReady }: { track: Track; owner: boolean; onReady: () => void }) {
  const [state, setState] = useState<TrackStatus>({
    id: track.id,
    status: track.status,
    progress: track.processing.progress,
    error: track.processing.error,
    updated_at: track.updated_at,
  });

  useEffect(() => {
    if (state.status === "failed" || state.status === "ready") {
      if (state.status === "ready") onReady();
      return;
    }
    const timer = setTimeout(() => {
      get<TrackStatus>(`/v1/tracks/${track.id}/status`)
        .then(setState)
        .catch(() => setState((s) => ({ ...s })));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [state]);

  if (state.status === "failed") {
    return (
      <div class="track-processing form-error" role="alert">
        <p>This track could not be processed.</p>
        {owner && state.error && <p>{state.error}</p>}
      </div>
    );
  }
  return (
    <div class="track-processing card">
      <p id="processing-label">
        <span aria-live="polite">{state.status === "pending" ? "Waiting to be processed…" : "Processing…"}</span>{" "}
        {state.status === "processing" && <span aria-hidden="true">{state.progress} %</span>}
      </p>
      <div class="progress" role="progressbar" aria-labelledby="processing-label" aria-valuemin={0} aria-valuemax={100} aria-valuenow={state.progress}>
        <div class="progress-bar" style={{ width: `${state.progress}%` }} />
      </div>
      <p class="muted">The waveform and the player appear here as soon as it is ready.</p>
    </div>
  );
}
