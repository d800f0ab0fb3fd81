import { useState } from "preact/hooks";
import { errorMessage, get } from "../api";
import { paths } from "../paths";
import { me } from "../session";
import type { Feed, FeedItem, Post } from "../types/api";
import { Button, Empty, FormError, Loading, Time, TrackLink, UserLink, formatDuration, useApi, usePageTitle } from "../ui";

/** `/` when signed in: GET /v1/feed — what the people I follow did, newest first, page by page. */
export function Home() {
  usePageTitle("Feed");
  const first = useApi<Feed>("/v1/feed", { limit: 20 });
  const [more, setMore] = useState<FeedItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  const next = cursor === undefined ? first.data?.next_cursor : cursor;
  const items = [...(first.data?.items ?? []), ...more];

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<Feed>("/v1/feed", { limit: 20, cursor: next });
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">Your feed</h1>
      <p class="muted">
        Hello {me.value?.display_name ?? `@${me.value?.username ?? ""}`}. What the people you follow posted, published and shared — newest first, nothing else.
      </p>
      {first.loading && !first.data ? (
        <Loading label="Loading your feed…" />
      ) : first.error ? (
        <div role="alert" class="form-error">
          {errorMessage(first.error)} <Button onClick={first.reload}>Try again</Button>
        </div>
      ) : items.length === 0 ? (
        <Empty title="Your feed is empty">
          <p>
            Follow musicians and friends to see their tracks, posts and playlists here. <a href={paths.search()}>Find people to follow</a>.
          </p>
        </Empty>
      ) : (
        <>
          <ol class="feed" aria-label="Feed">
            {items.map((item) => (
              <li key={`${item.type}-${item.id}`} class="card">
                <FeedEntry item={item} />
              </li>
            ))}
          </ol>
          <FormError error={moreError} />
          {next && (
            <Button onClick={loadMore} busy={loadingMore}>
              Load more
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function FeedEntry({ item }: { item: FeedItem }) {
  switch (item.type) {
    case "track": {
      const t = item.track;
      return (
        <article aria-label={`Track ${t.title}`}>
          <p class="feed-meta">
            <UserLink user={t.creator} /> published a track · <Time value={item.at} />
          </p>
          <p class="feed-title">
            <TrackLink track={t} />
          </p>
          <p class="muted">
            {[t.artist, t.genre, formatDuration(t.duration_ms)].filter(Boolean).join(" · ")}
          </p>
        </article>
      );
    }
    case "playlist": {
      const p = item.playlist;
      return (
        <article aria-label={`Playlist ${p.name}`}>
          <p class="feed-meta">
            <UserLink user={p.owner} /> shared a playlist · <Time value={item.at} />
          </p>
          <p class="feed-title">
            <a href={paths.playlist(p.id)}>{p.name}</a>
          </p>
          <p class="muted">
            {p.track_count} {p.track_count === 1 ? "track" : "tracks"} · {formatDuration(p.duration_seconds, "s")}
          </p>
        </article>
      );
    }
    case "post":
      return <PostEntry post={item.post} at={item.at} />;
  }
}

function PostEntry({ post, at }: { post: Post; at: string }) {
  const plainRepost = post.repost_of_id !== null && post.content === "";
  const shown = plainRepost && post.repost_of ? post.repost_of : post;
  return (
    <article aria-label={`Post by ${post.author.display_name ?? post.author.username}`}>
      <p class="feed-meta">
        <UserLink user={post.author} /> {plainRepost ? "reposted" : "posted"} · <a href={paths.post(post.id)}><Time value={at} /></a>
      </p>
      {plainRepost && post.repost_of && (
        <p class="feed-meta">
          <UserLink user={post.repost_of.author} />
        </p>
      )}
      {shown.content && <p class="post-content">{shown.content}</p>}
      {!plainRepost && post.repost_of && (
        <blockquote class="quote">
          <p class="feed-meta">
            <UserLink user={post.repost_of.author} />
          </p>
          <p class="post-content">{post.repost_of.content}</p>
        </blockquote>
      )}
      <p class="muted">
        {shown.like_count} {shown.like_count === 1 ? "like" : "likes"} · {shown.comment_count} {shown.comment_count === 1 ? "comment" : "comments"}
      </p>
    </article>
  );
}
