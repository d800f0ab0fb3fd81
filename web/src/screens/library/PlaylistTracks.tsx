import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { del, patch, post } from "../../api";
import { paths } from "../../paths";
import { Button, FormError, UserLink, formatDuration } from "../../ui";
import { TrackActions } from "./TrackActions";
import { applyMove, applyRemove, positionForGap } from "./reorder";
import type { PlaylistItem, PlaylistPosition } from "./types";

interface Props {
  playlistId: string;
  items: PlaylistItem[];
  setItems: (items: PlaylistItem[]) => void;
  /** The owner or an editing collaborator: may reorder and remove. */
  canEdit: boolean;
  /** Say something to screen readers (the page's polite live region). */
  announce: (message: string) => void;
  /** Fetch the playlist again (once the edits are through: the server's order and counts). */
  resync: () => void;
}

type Control = "up" | "down" | "remove";

/**
 * A playlist's tracks in order. Editors reorder them by dragging a row (HTML5 drag and drop, a line
 * shows where it will land), with the Move up / Move down buttons, or with Alt+↑ / Alt+↓ anywhere in
 * a row; every move is announced. Moves are applied on screen at once and sent one after the other,
 * in order (each is computed against the order the previous ones produced); a refused move brings
 * the server's order back.
 */
export function PlaylistTracks({ playlistId, items, setItems, canEdit, announce, resync }: Props) {
  const latest = useRef(items);
  latest.current = items;
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pending = useRef(0);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [gap, setGap] = useState<number | null>(null);
  const [removed, setRemoved] = useState<{ item: PlaylistItem } | null>(null);
  const refocus = useRef<{ trackId: string; control: Control } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // Reordering moves the row's DOM node, which drops the focus: put it back where it was.
  useLayoutEffect(() => {
    const want = refocus.current;
    if (!want || !listRef.current) return;
    refocus.current = null;
    const row = listRef.current.querySelector<HTMLElement>(`[data-track-id="${want.trackId}"]`);
    const control = row?.querySelector<HTMLButtonElement>(`[data-control="${want.control}"]`);
    const target = control && !control.disabled ? control : row?.querySelector<HTMLButtonElement>('[data-control="up"]:not(:disabled), [data-control="down"]:not(:disabled)');
    (target ?? row)?.focus();
  }, [items]);

  /**
   * Sends the edits one after the other, in the order they were made; once none is left in flight
   * the playlist is fetched again (the server's positions and counts, others' edits included).
   */
  function send<T>(request: () => Promise<T>, after?: (answer: T) => void) {
    pending.current += 1;
    queue.current = queue.current.then(async () => {
      try {
        const answer = await request();
        after?.(answer);
      } catch (err) {
        setError(err);
      } finally {
        pending.current -= 1;
        if (pending.current === 0) resync();
      }
    });
  }

  function move(from: number, toGap: number, control?: Control) {
    const current = latest.current;
    const item = current[from];
    const to = positionForGap(current, from, toGap);
    if (!item || to === null) return;
    setError(null);
    const next = applyMove(current, item.track.id, to);
    latest.current = next;
    if (control) refocus.current = { trackId: item.track.id, control };
    setItems(next);
    const index = next.findIndex((i) => i.track.id === item.track.id);
    announce(`Moved “${item.track.title}” to position ${index + 1} of ${next.length}.`);
    send(() => patch<PlaylistPosition>(`/v1/playlists/${playlistId}/tracks/${item.track.id}`, { position: to }));
  }

  function remove(item: PlaylistItem) {
    setError(null);
    const next = applyRemove(latest.current, item.track.id);
    const index = latest.current.indexOf(item);
    latest.current = next;
    setItems(next);
    setRemoved({ item });
    announce(`Removed “${item.track.title}” from the playlist.`);
    // Keep the keyboard where it was: the next row's remove button, else the previous one's.
    const neighbour = next[index] ?? next[index - 1];
    if (neighbour) refocus.current = { trackId: neighbour.track.id, control: "remove" };
    send(() => del(`/v1/playlists/${playlistId}/tracks/${item.track.id}`));
  }

  function undoRemove() {
    if (!removed) return;
    const { item } = removed;
    setRemoved(null);
    send(
      () => post<PlaylistPosition>(`/v1/playlists/${playlistId}/tracks`, { track_id: item.track.id, position: item.position }),
      () => announce(`“${item.track.title}” is back at position ${item.position + 1}.`),
    );
  }

  function onKeyDown(e: KeyboardEvent, index: number) {
    if (!canEdit || !e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowUp" && index > 0) {
      e.preventDefault();
      move(index, index - 1, "up");
    } else if (e.key === "ArrowDown" && index < latest.current.length - 1) {
      e.preventDefault();
      move(index, index + 2, "down");
    }
  }

  function onDragStart(e: DragEvent, item: PlaylistItem) {
    if (!canEdit || !e.dataTransfer) return;
    e.dataTransfer.effectAllowed = "move";
    // Some browsers start no drag without data.
    e.dataTransfer.setData("text/plain", item.track.title);
    setDragging(item.track.id);
  }

  function onDragOver(e: DragEvent, index: number) {
    if (!dragging) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    setGap(e.clientY > rect.top + rect.height / 2 ? index + 1 : index);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    const from = latest.current.findIndex((i) => i.track.id === dragging);
    if (from >= 0 && gap !== null) move(from, gap);
    endDrag();
  }

  /** Out of the list, no drop line (dragleave also fires between rows: only the pointer's place tells). */
  function leaveList(e: DragEvent) {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const inside = e.clientX > rect.left && e.clientX < rect.right && e.clientY > rect.top && e.clientY < rect.bottom;
    if (!inside) setGap(null);
  }

  function endDrag() {
    setDragging(null);
    setGap(null);
  }

  const draggingIndex = items.findIndex((i) => i.track.id === dragging);
  const gapChangesSomething = gap !== null && draggingIndex >= 0 && gap !== draggingIndex && gap !== draggingIndex + 1;

  return (
    <div class="playlist-tracks">
      <FormError error={error} />
      {removed && (
        <p class="notice undo-notice">
          Removed “{removed.item.track.title}”.{" "}
          <Button variant="ghost" onClick={undoRemove}>
            Undo
          </Button>
        </p>
      )}
      {canEdit && (
        <p class="muted small" id="reorder-help">
          Drag a track to move it, or use its ↑ and ↓ buttons (Alt+↑ / Alt+↓ work anywhere in a row).
        </p>
      )}
      <ol class="track-list" ref={listRef} aria-label="Tracks" aria-describedby={canEdit ? "reorder-help" : undefined} onDragLeave={leaveList}>
        {items.map((item, index) => {
          const t = item.track;
          const classes = [
            "track-row",
            dragging === t.id ? "is-dragging" : "",
            gapChangesSomething && gap === index ? "drop-before" : "",
            gapChangesSomething && gap === items.length && index === items.length - 1 ? "drop-after" : "",
          ].filter(Boolean);
          return (
            <li
              key={t.id}
              class={classes.join(" ")}
              data-track-id={t.id}
              draggable={canEdit}
              onDragStart={(e) => onDragStart(e, item)}
              // Blink fires no dragover in the update where the target changes, only dragenter.
              onDragEnter={(e) => onDragOver(e, index)}
              onDragOver={(e) => onDragOver(e, index)}
              onDrop={onDrop}
              onDragEnd={endDrag}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              {canEdit && (
                <span class="drag-handle" aria-hidden="true" title="Drag to reorder">
                  ⠿
                </span>
              )}
              <span class="track-number" aria-hidden="true">
                {index + 1}
              </span>
              <span class="track-main">
                {/* Not draggable itself: dragging the row moves the track, not a link. */}
                <a class="track-link" href={paths.track(t.id)} draggable={false}>
                  {t.title}
                </a>
                <span class="muted small">
                  {t.artist ?? <UserLink user={t.creator} />}
                  {t.status !== "ready" && " · processing"}
                </span>
              </span>
              <span class="track-duration muted">{formatDuration(t.duration_ms)}</span>
              <TrackActions track={t} ready={t.status === "ready"} />
              {canEdit && (
                <span class="row-edit">
                  <button
                    type="button"
                    class="icon-btn"
                    data-control="up"
                    disabled={index === 0}
                    aria-label={`Move ${t.title} up`}
                    onClick={() => move(index, index - 1, "up")}
                  >
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button
                    type="button"
                    class="icon-btn"
                    data-control="down"
                    disabled={index === items.length - 1}
                    aria-label={`Move ${t.title} down`}
                    onClick={() => move(index, index + 2, "down")}
                  >
                    <span aria-hidden="true">↓</span>
                  </button>
                  <button type="button" class="icon-btn" data-control="remove" aria-label={`Remove ${t.title} from the playlist`} onClick={() => remove(item)}>
                    <span aria-hidden="true">✕</span>
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
