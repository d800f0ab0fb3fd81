import { toChildArray, type ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { ApiError, del, errorMessage, get, post } from "../../api";
import { paths } from "../../paths";
import { nowPlaying, position } from "../../player/controls";
import { me, signedIn } from "../../session";
import { Button, Empty, FormError, Loading, Time, UserLink, formatDuration } from "../../ui";
import { Avatar } from "./Avatar";
import type { Comment, CreateCommentBody, Page } from "./types";

const PAGE_SIZE = 20;

interface TrackRef {
  id: string;
  creatorId: string;
  /** Length in ms once processed (timed comments need it); null before. */
  durationMs: number | null;
}

interface Props {
  track: TrackRef;
  /** Where a timed comment goes while this track is not the player's current one. */
  cue: number;
  /** A comment was added (to place it on the waveform and count it). */
  onAdded: (comment: Comment) => void;
  /** A comment was deleted. */
  onDeleted: (comment: Comment) => void;
  /** Play (or seek) this track at `ms`. */
  onSeek: (ms: number) => void;
}

/**
 * A track's comments: the form (a plain comment, or one placed at the current playback position),
 * then the threads — top-level comments newest first, each with its replies (one level deep, loaded
 * on demand), a reply form, and a delete button on what I may delete (my own; all of them on my
 * own track).
 */
export function Comments({ track, cue, onAdded, onDeleted, onSeek }: Props) {
  const [items, setItems] = useState<Comment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    get<Page<Comment>>(`/v1/tracks/${track.id}/comments`, { limit: PAGE_SIZE }, { signal: controller.signal })
      .then((page) => {
        setItems(page.items);
        setCursor(page.next_cursor);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [track.id, nonce]);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await get<Page<Comment>>(`/v1/tracks/${track.id}/comments`, { limit: PAGE_SIZE, cursor });
      setItems((list) => [...list, ...page.items.filter((c) => !list.some((x) => x.id === c.id))]);
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  function added(comment: Comment) {
    if (!comment.parent_comment_id) setItems((list) => [comment, ...list]);
    onAdded(comment);
  }

  function removed(comment: Comment) {
    setItems((list) =>
      list.flatMap((c) => {
        if (c.id === comment.id) return c.reply_count > 0 ? [{ ...c, deleted: true, author: null, content: null, timestamp_seconds: null }] : [];
        return [c];
      }),
    );
    onDeleted(comment);
  }

  /** A reply was deleted from this thread: one fewer, and a placeholder with none left goes. */
  function replyRemoved(parentId: string) {
    setItems((list) =>
      list.flatMap((c) => {
        if (c.id !== parentId) return [c];
        const left = Math.max(0, c.reply_count - 1);
        return c.deleted && left === 0 ? [] : [{ ...c, reply_count: left }];
      }),
    );
  }

  function replyAdded(parentId: string) {
    setItems((list) => list.map((c) => (c.id === parentId ? { ...c, reply_count: c.reply_count + 1 } : c)));
  }

  return (
    <section class="track-comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments</h2>
      {signedIn.value ? (
        <CommentForm track={track} cue={cue} onAdded={added} />
      ) : (
        <p class="notice">
          <a href={paths.signIn(location.pathname)}>Sign in</a> to comment.
        </p>
      )}
      {loading && items.length === 0 ? (
        <Loading label="Loading comments…" />
      ) : error && items.length === 0 ? (
        <div role="alert" class="form-error">
          {errorMessage(error)} <Button onClick={() => setNonce((n) => n + 1)}>Try again</Button>
        </div>
      ) : items.length === 0 ? (
        <Empty title="No comments yet">{signedIn.value && <p>Say something about this track — at a moment of it, if you like.</p>}</Empty>
      ) : (
        <>
          <ol class="comment-list" aria-label="Comments">
            {items.map((c) => (
              <li key={c.id}>
                <Thread
                  comment={c}
                  track={track}
                  onSeek={onSeek}
                  onRemoved={removed}
                  onReplyAdded={(reply) => {
                    replyAdded(c.id);
                    onAdded(reply);
                  }}
                  onReplyRemoved={(reply) => {
                    replyRemoved(c.id);
                    onDeleted(reply);
                  }}
                />
              </li>
            ))}
          </ol>
          {error ? <FormError error={error} /> : null}
          {cursor && (
            <Button onClick={loadMore} busy={loadingMore}>
              More comments
            </Button>
          )}
        </>
      )}
    </section>
  );
}

/** The playback position to place a comment at: the player's while it has this track, the cue otherwise. */
function usePlaybackMs(trackId: string, cue: number): number {
  return nowPlaying.value?.track_id === trackId ? position.value : cue;
}

/** The second a timed comment goes to: within the track (the API wants it to start before the end). */
function secondOf(ms: number, durationMs: number): number {
  const last = Math.max(0, Math.ceil(durationMs / 1000) - 1);
  return Math.max(0, Math.min(Math.floor(ms / 1000), last));
}

function CommentForm({ track, cue, onAdded }: { track: TrackRef; cue: number; onAdded: (c: Comment) => void }) {
  const id = useId();
  const [content, setContent] = useState("");
  // Unless the person says otherwise: timed while this track is playing (or a moment of it was picked).
  const [timedChoice, setTimed] = useState<boolean | null>(null);
  // The moment the comment is about: the position when typing began, so it does not drift while typing.
  const [frozenMs, setFrozenMs] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const liveMs = usePlaybackMs(track.id, cue);
  const timed = timedChoice ?? (nowPlaying.value?.track_id === track.id || cue > 0);
  const canTime = track.durationMs !== null && track.durationMs > 0;
  const atSecond = canTime ? secondOf(frozenMs ?? liveMs, track.durationMs!) : 0;
  const fieldError = error instanceof ApiError ? error.fields.content : undefined;
  const timeError = error instanceof ApiError ? error.fields.timestamp_seconds : undefined;

  function onInput(value: string) {
    if (value.trim() && frozenMs === null) setFrozenMs(liveMs);
    if (!value.trim()) setFrozenMs(null);
    setContent(value);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!content.trim()) return;
    setBusy(true);
    setError(null);
    const body: CreateCommentBody = { content };
    if (timed && canTime) body.timestamp_seconds = atSecond;
    try {
      const comment = await post<Comment>(`/v1/tracks/${track.id}/comments`, body);
      setContent("");
      setFrozenMs(null);
      onAdded(comment);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="comment-form" onSubmit={submit} aria-label="Add a comment">
      <FormError error={error instanceof ApiError && (fieldError || timeError) ? null : error} />
      <div class={`field${fieldError ? " field-invalid" : ""}`}>
        <label for={`${id}-text`} class="visually-hidden">
          Your comment
        </label>
        <textarea
          id={`${id}-text`}
          rows={2}
          maxLength={5000}
          placeholder={timed && canTime ? `Comment at ${formatDuration(atSecond, "s")}…` : "Write a comment…"}
          value={content}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? `${id}-error` : undefined}
          required
        />
        {fieldError && (
          <p class="field-error" id={`${id}-error`}>
            {fieldError}
          </p>
        )}
      </div>
      <div class="comment-form-row">
        {canTime && (
          <label class="comment-timed">
            <input type="checkbox" checked={timed} onChange={(e) => setTimed(e.currentTarget.checked)} aria-describedby={timeError ? `${id}-time-error` : undefined} />
            <span>
              at <span class="comment-at">{formatDuration(atSecond, "s")}</span>
            </span>
          </label>
        )}
        <Button type="submit" variant="primary" busy={busy} disabled={!content.trim()}>
          Comment
        </Button>
      </div>
      {timeError && (
        <p class="field-error" id={`${id}-time-error`}>
          {timeError}
        </p>
      )}
    </form>
  );
}

interface ThreadProps {
  comment: Comment;
  track: TrackRef;
  onSeek: (ms: number) => void;
  onRemoved: (c: Comment) => void;
  onReplyAdded: (c: Comment) => void;
  onReplyRemoved: (c: Comment) => void;
}

function Thread({ comment, track, onSeek, onRemoved, onReplyAdded, onReplyRemoved }: ThreadProps) {
  const [replies, setReplies] = useState<Comment[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [replying, setReplying] = useState(false);

  async function load(more = false) {
    setLoading(true);
    setError(null);
    try {
      const page = await get<Page<Comment>>(`/v1/comments/${comment.id}/replies`, { limit: PAGE_SIZE, cursor: more ? cursor : undefined });
      setReplies((list) => (more && list ? [...list, ...page.items.filter((c) => !list.some((x) => x.id === c.id))] : page.items));
      setCursor(page.next_cursor);
      setOpen(true);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  function toggle() {
    if (open) setOpen(false);
    else if (replies) setOpen(true);
    else void load();
  }

  const shown = replies?.length ?? 0;
  return (
    <article class="comment-thread" aria-label={comment.deleted ? "Deleted comment" : `Comment by ${comment.author?.display_name ?? comment.author?.username}`}>
      <CommentItem comment={comment} track={track} onSeek={onSeek} onRemoved={onRemoved}>
        {!comment.deleted && signedIn.value && (
          <Button variant="ghost" class="btn-small" onClick={() => setReplying((r) => !r)} aria-expanded={replying}>
            Reply
          </Button>
        )}
        {comment.reply_count > 0 && (
          <Button variant="ghost" class="btn-small" onClick={toggle} busy={loading && !replies} aria-expanded={open}>
            {open ? "Hide replies" : `${comment.reply_count} ${comment.reply_count === 1 ? "reply" : "replies"}`}
          </Button>
        )}
      </CommentItem>
      <FormError error={error} />
      {replying && (
        <ReplyForm
          trackId={track.id}
          parent={comment}
          onCancel={() => setReplying(false)}
          onAdded={(reply) => {
            setReplying(false);
            setReplies((list) => [...(list ?? []), reply]);
            setOpen(true);
            onReplyAdded(reply);
          }}
        />
      )}
      {open && replies && replies.length > 0 && (
        <ol class="comment-replies" aria-label={`Replies to ${comment.author?.display_name ?? comment.author?.username ?? "a deleted comment"}`}>
          {replies.map((r) => (
            <li key={r.id}>
              <CommentItem
                comment={r}
                track={track}
                onSeek={onSeek}
                onRemoved={(gone) => {
                  setReplies((list) => (list ?? []).filter((x) => x.id !== gone.id));
                  onReplyRemoved(gone);
                }}
              />
            </li>
          ))}
        </ol>
      )}
      {open && cursor && shown < comment.reply_count && (
        <Button variant="ghost" class="btn-small" onClick={() => void load(true)} busy={loading}>
          More replies
        </Button>
      )}
    </article>
  );
}

interface ItemProps {
  comment: Comment;
  track: TrackRef;
  onSeek: (ms: number) => void;
  onRemoved: (c: Comment) => void;
  /** More actions, beside Delete (the thread's Reply and its replies' toggle). */
  children?: ComponentChildren;
}

function CommentItem({ comment, track, onSeek, onRemoved, children }: ItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const account = me.value;
  const author = comment.author;

  if (comment.deleted || !author) {
    return (
      <div class="comment comment-deleted">
        <div class="comment-body">
          <p class="muted">This comment was deleted.</p>
          {toChildArray(children).length > 0 && <div class="comment-actions">{children}</div>}
        </div>
      </div>
    );
  }
  const mine = account?.id === author.id;
  const canDelete = !!account && (mine || account.id === track.creatorId);
  const name = author.display_name ?? `@${author.username}`;

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await del(`/v1/comments/${comment.id}`);
      onRemoved(comment);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div class="comment" data-comment-id={comment.id}>
      <Avatar url={author.avatar_url} name={name} size="medium" />
      <div class="comment-body">
        <p class="comment-meta">
          <UserLink user={author} />
          {comment.timestamp_seconds !== null && (
            <>
              {" "}
              <button type="button" class="comment-time" onClick={() => onSeek(comment.timestamp_seconds! * 1000)} aria-label={`Play from ${formatDuration(comment.timestamp_seconds, "s")}`}>
                at {formatDuration(comment.timestamp_seconds, "s")}
              </button>
            </>
          )}{" "}
          · <Time value={comment.created_at} />
          {comment.is_edited && <span class="muted"> · edited</span>}
        </p>
        <p class="comment-text">{comment.content}</p>
        {confirming ? (
          <div class="comment-confirm" role="group" aria-label="Delete this comment?">
            <span>Delete this comment?</span>
            <Button variant="danger" class="btn-small" busy={busy} onClick={() => void remove()}>
              Delete
            </Button>
            <Button variant="ghost" class="btn-small" disabled={busy} onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </div>
        ) : (
          (toChildArray(children).length > 0 || canDelete) && (
            <div class="comment-actions">
              {children}
              {canDelete && (
                <Button variant="ghost" class="btn-small" onClick={() => setConfirming(true)} aria-label={mine ? "Delete my comment" : `Delete the comment by ${name}`}>
                  Delete
                </Button>
              )}
            </div>
          )
        )}
        <FormError error={error} />
      </div>
    </div>
  );
}

function ReplyForm({ trackId, parent, onAdded, onCancel }: { trackId: string; parent: Comment; onAdded: (c: Comment) => void; onCancel: () => void }) {
  const id = useId();
  const [content, setContent] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const fieldError = error instanceof ApiError ? error.fields.content : undefined;

  async function submit(e: Event) {
    e.preventDefault();
    if (!content.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await post<Comment>(`/v1/tracks/${trackId}/comments`, { content, parent_comment_id: parent.id } satisfies CreateCommentBody);
      setContent("");
      onAdded(reply);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="comment-form comment-reply-form" onSubmit={submit}>
      <FormError error={fieldError ? null : error} />
      <div class={`field${fieldError ? " field-invalid" : ""}`}>
        <label for={id} class="visually-hidden">
          Reply to {parent.author?.display_name ?? parent.author?.username}
        </label>
        <textarea
          id={id}
          ref={ref}
          rows={2}
          maxLength={5000}
          placeholder="Write a reply…"
          value={content}
          onInput={(e) => setContent(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") onCancel();
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
          }}
          aria-invalid={fieldError ? true : undefined}
          required
        />
        {fieldError && <p class="field-error">{fieldError}</p>}
      </div>
      <div class="comment-form-row">
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!content.trim()}>
          Reply
        </Button>
      </div>
    </form>
  );
}
