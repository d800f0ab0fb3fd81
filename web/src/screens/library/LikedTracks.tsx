import { useState } from "preact/hooks";
import { del } from "../../api";
import { paths } from "../../paths";
import { Button, FormError, Time, TrackLink, UserLink, formatDuration } from "../../ui";
import { Empty, PagedList } from "./PagedList";
import { TrackActions } from "./TrackActions";
import type { LikeList } from "./types";
import { usePaged } from "./usePaged";

type Liked = LikeList["items"][number];

/** The Liked tracks tab (GET /v1/me/likes, most recent first): play, queue, unlike. */
export function LikedTracks() {
  const list = usePaged<Liked>("/v1/me/likes", { limit: 50 });
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState("");

  async function unlike(item: Liked) {
    setError(null);
    try {
      await del(`/v1/tracks/${item.track.id}/like`);
      list.setItems((items) => items.filter((i) => i.track.id !== item.track.id));
      setStatus(`“${item.track.title}” removed from your liked tracks.`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <p class="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      <FormError error={error} />
      <PagedList
        list={list}
        label="Liked tracks"
        loadingLabel="Loading your liked tracks…"
        empty={
          <Empty title="No liked tracks yet">
            <p>
              Press ♥ on a track you love to find it here. <a href={paths.search()}>Find music</a>.
            </p>
          </Empty>
        }
      >
        {(item) => (
          <li key={item.track.id} class="library-item">
            <TrackActions track={item.track} ready={item.track.status === "ready"} />
            <div class="library-item-main">
              <TrackLink track={item.track} />
              <span class="muted small">
                {item.track.artist ?? <UserLink user={item.track.creator} />} · {formatDuration(item.track.duration_ms)} · liked <Time value={item.liked_at} />
              </span>
            </div>
            <Button variant="ghost" onClick={() => void unlike(item)}>
              Unlike<span class="visually-hidden"> {item.track.title}</span>
            </Button>
          </li>
        )}
      </PagedList>
    </>
  );
}
