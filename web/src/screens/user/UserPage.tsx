import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, del, errorMessage, get, put } from "../../api";
import { paths } from "../../paths";
import { playTrack } from "../../player/controls";
import { me, signedIn } from "../../session";
import { Button, Empty, FormError, Loading, Time, TrackLink, UserLink, formatDuration, useApi, usePageTitle } from "../../ui";
import { Avatar } from "../track/Avatar";
import type { FollowState, Page, Playlist, Post, PublicProfile, TrackSummary } from "../track/types";
import "./user.css";

const TABS = [
  { id: "tracks", label: "Tracks" },
  { id: "playlists", label: "Playlists" },
  { id: "posts", label: "Posts" },
] as const;
type TabId = (typeof TABS)[number]["id"];

const count = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const ROLE_NAMES: Record<string, string> = { creator: "Verified creator", producer: "Verified producer", educator: "Verified educator", label: "Verified label" };

/**
 * `/users/:username`: a profile — avatar, name, bio, counts and statistics, follow/unfollow — with
 * the person's tracks, playlists and posts in tabs (`?tab=` keeps the tab in the address).
 */
export function UserPage({ username }: { username: string }) {
  const state = useApi<PublicProfile>(`/v1/users/${encodeURIComponent(username)}`);
  const profile = state.data && state.data.username.toLowerCase() === username.toLowerCase() ? state.data : undefined;
  usePageTitle(profile ? (profile.display_name ?? `@${profile.username}`) : state.error ? "Profile not found" : "Profile");

  if (!profile) {
    if (state.error) {
      const missing = state.error instanceof ApiError && (state.error.status === 404 || state.error.status === 422);
      return (
        <section aria-labelledby="profile-error-title">
          <h1 id="profile-error-title">{missing ? "Profile not found" : "This profile could not be loaded"}</h1>
          {missing ? (
            <p>Nobody you can see goes by @{username}. The account may be private, or no longer exist.</p>
          ) : (
            <div role="alert" class="form-error">
              {errorMessage(state.error)} <Button onClick={state.reload}>Try again</Button>
            </div>
          )}
          <p>
            <a href={paths.search()}>Search Veza</a> to find people.
          </p>
        </section>
      );
    }
    return <Loading label="Loading the profile…" />;
  }
  return <Profile key={profile.id} profile={profile} setProfile={state.setData} />;
}

function Profile({ profile, setProfile }: { profile: PublicProfile; setProfile: (p: PublicProfile) => void }) {
  const name = profile.display_name ?? `@${profile.username}`;
  const mine = me.value?.id === profile.id;
  const { counts, stats } = profile;
  return (
    <article class="user-page" aria-labelledby="profile-name">
      <header class="profile-header">
        {profile.banner_url && <div class="profile-banner" style={{ backgroundImage: `url("${profile.banner_url.replace(/"/g, "%22")}")` }} aria-hidden="true" />}
        <div class="profile-identity">
          <Avatar url={profile.avatar_url} name={name} size="large" />
          <div class="profile-names">
            <h1 id="profile-name">{name}</h1>
            {profile.display_name && <p class="muted profile-username">@{profile.username}</p>}
            {profile.verified_roles.length > 0 && (
              <ul class="profile-roles" aria-label="Verified roles">
                {profile.verified_roles.map((r) => (
                  <li key={r.role} class="profile-role">
                    <span aria-hidden="true">✓</span> {ROLE_NAMES[r.role] ?? `Verified ${r.role}`}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div class="profile-actions">
            {mine ? (
              <a class="btn btn-secondary" href={paths.settings}>
                Edit profile
              </a>
            ) : (
              <FollowButton profile={profile} setProfile={setProfile} />
            )}
          </div>
        </div>
        {profile.tagline && <p class="profile-tagline">{profile.tagline}</p>}
        {profile.bio && <p class="profile-bio">{profile.bio}</p>}
        <p class="profile-facts muted">
          {profile.location && <span>{profile.location}</span>}
          {profile.website_url && safeUrl(profile.website_url) && (
            <a href={safeUrl(profile.website_url)!} rel="nofollow noopener noreferrer ugc" target="_blank">
              {profile.website_url.replace(/^https?:\/\//, "").replace(/\/$/, "")}
            </a>
          )}
          <span>
            Joined <Time value={profile.created_at} />
          </span>
        </p>
        <ul class="profile-counts" aria-label="Counts">
          <li>
            <strong>{count.format(counts.followers)}</strong> {counts.followers === 1 ? "follower" : "followers"}
          </li>
          <li>
            <strong>{count.format(counts.following)}</strong> following
          </li>
          <li>
            <strong>{count.format(counts.tracks)}</strong> {counts.tracks === 1 ? "track" : "tracks"}
          </li>
          <li>
            <strong>{count.format(counts.playlists)}</strong> {counts.playlists === 1 ? "playlist" : "playlists"}
          </li>
          <li>
            <strong>{count.format(stats.total_plays)}</strong> {stats.total_plays === 1 ? "play" : "plays"}
          </li>
          <li>
            <strong>{count.format(stats.total_likes)}</strong> {stats.total_likes === 1 ? "like" : "likes"}
          </li>
        </ul>
        {profile.badges.length > 0 && (
          <ul class="profile-badges" aria-label="Badges">
            {profile.badges.map((b) => (
              <li key={b.id} class="profile-badge" title={b.description ?? undefined}>
                {b.icon_url && <img src={b.icon_url} alt="" width={16} height={16} />}
                {b.name}
              </li>
            ))}
          </ul>
        )}
      </header>
      <ProfileTabs username={profile.username} mine={mine} />
    </article>
  );
}

/** Only http(s) links are links: anything else a profile says is left as text. */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

function FollowButton({ profile, setProfile }: { profile: PublicProfile; setProfile: (p: PublicProfile) => void }) {
  const [following, setFollowing] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const account = signedIn.value;

  useEffect(() => {
    if (!account) return;
    const controller = new AbortController();
    get<{ following: boolean }>(`/v1/me/following/${encodeURIComponent(profile.username)}`, undefined, { signal: controller.signal })
      .then((a) => setFollowing(a.following))
      .catch(() => setFollowing(false));
    return () => controller.abort();
  }, [profile.username, account]);

  if (!account) {
    return (
      <a class="btn btn-primary" href={paths.signIn(location.pathname)}>
        Sign in to follow
      </a>
    );
  }

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const path = `/v1/users/${encodeURIComponent(profile.username)}/follow`;
      const state = following ? await del<FollowState>(path) : await put<FollowState>(path);
      setFollowing(state.following);
      setProfile({ ...profile, counts: { ...profile.counts, followers: state.follower_count } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const name = profile.display_name ?? `@${profile.username}`;
  return (
    <div class="follow">
      <Button
        variant={following ? "secondary" : "primary"}
        aria-pressed={following ?? false}
        aria-label={following ? `Unfollow ${name}` : `Follow ${name}`}
        busy={busy || following === null}
        onClick={() => void toggle()}
      >
        {following ? "Following" : "Follow"}
      </Button>
      <FormError error={error} />
    </div>
  );
}

function ProfileTabs({ username, mine }: { username: string; mine: boolean }) {
  const asked = useLocation().query.tab;
  const [tab, setTab] = useState<TabId>(TABS.some((t) => t.id === asked) ? (asked as TabId) : "tracks");
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  // A tab's list is loaded the first time it is shown, then kept.
  const [visited, setVisited] = useState<Set<TabId>>(() => new Set([tab]));

  function select(id: TabId, focus = false) {
    setTab(id);
    setVisited((v) => (v.has(id) ? v : new Set(v).add(id)));
    // The address keeps the tab (for a link or a reload) without a navigation: the router would
    // mount the whole screen again for a new query string.
    const url = new URL(location.href);
    if (id === "tracks") url.searchParams.delete("tab");
    else url.searchParams.set("tab", id);
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    if (focus) refs.current[id]?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === "ArrowRight" ? (i + 1) % TABS.length : e.key === "ArrowLeft" ? (i - 1 + TABS.length) % TABS.length : e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    select(TABS[next]!.id, true);
  }

  return (
    <section class="profile-tabs">
      <div role="tablist" aria-label="Profile sections" class="tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            class="tab"
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {TABS.map((t) =>
        visited.has(t.id) ? (
          <div key={t.id} role="tabpanel" id={`panel-${t.id}`} aria-labelledby={`tab-${t.id}`} class="tab-panel" hidden={tab !== t.id}>
            {t.id === "tracks" ? (
              <TrackList username={username} mine={mine} />
            ) : t.id === "playlists" ? (
              <PlaylistList username={username} mine={mine} />
            ) : (
              <PostList username={username} mine={mine} />
            )}
          </div>
        ) : null,
      )}
    </section>
  );
}

/** A paged list of the API: the first page, then more on demand. */
function usePaged<T>(path: string) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    get<Page<T>>(path, { limit: 20 }, { signal: controller.signal })
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
  }, [path, nonce]);

  async function more() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await get<Page<T>>(path, { limit: 20, cursor });
      setItems((list) => [...list, ...page.items]);
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  return { items, cursor, loading, error, more, retry: () => setNonce((n) => n + 1) };
}

function ListFrame<T>({ list, label, empty, children }: { list: ReturnType<typeof usePaged<T>>; label: string; empty: string; children: (item: T) => ComponentChildren }) {
  if (list.loading && list.items.length === 0) return <Loading label={`Loading ${label.toLowerCase()}…`} />;
  if (list.error && list.items.length === 0) {
    return (
      <div role="alert" class="form-error">
        {errorMessage(list.error)} <Button onClick={list.retry}>Try again</Button>
      </div>
    );
  }
  if (list.items.length === 0) return <Empty title={empty} />;
  return (
    <>
      <ul class="profile-list" aria-label={label}>
        {list.items.map(children)}
      </ul>
      <FormError error={list.error} />
      {list.cursor && (
        <Button onClick={() => void list.more()} busy={list.loading}>
          Show more
        </Button>
      )}
    </>
  );
}

function TrackList({ username, mine }: { username: string; mine: boolean }) {
  const list = usePaged<TrackSummary>(`/v1/users/${encodeURIComponent(username)}/tracks`);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <FormError error={error} />
      <ListFrame list={list} label="Tracks" empty={mine ? "You have not published a track yet." : "No tracks yet."}>
        {(t) => (
          <li key={t.id} class="profile-track">
            {t.cover_url ? <img class="profile-thumb" src={t.cover_url} alt="" loading="lazy" /> : <span class="profile-thumb profile-thumb-empty" aria-hidden="true" />}
            <div class="profile-item-body">
              <p class="profile-item-title">
                <TrackLink track={t} />
              </p>
              <p class="muted profile-item-meta">
                {[t.genre, t.status === "ready" ? formatDuration(t.duration_ms) : t.status === "failed" ? "Could not be processed" : "Processing…", `${count.format(t.counts.plays)} plays`]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            </div>
            {t.status === "ready" && (
              <Button
                variant="ghost"
                class="profile-play"
                aria-label={`Play ${t.title}`}
                onClick={() => {
                  setError(null);
                  playTrack(t).catch(setError);
                }}
              >
                <span aria-hidden="true">▶</span>
              </Button>
            )}
          </li>
        )}
      </ListFrame>
    </>
  );
}

function PlaylistList({ username, mine }: { username: string; mine: boolean }) {
  const list = usePaged<Playlist>(`/v1/users/${encodeURIComponent(username)}/playlists`);
  return (
    <ListFrame list={list} label="Playlists" empty={mine ? "You have no playlist yet." : "No public playlists."}>
      {(p) => (
        <li key={p.id} class="profile-track">
          {p.cover_url ? <img class="profile-thumb" src={p.cover_url} alt="" loading="lazy" /> : <span class="profile-thumb profile-thumb-empty" aria-hidden="true" />}
          <div class="profile-item-body">
            <p class="profile-item-title">
              <a href={paths.playlist(p.id)}>{p.name}</a>
            </p>
            <p class="muted profile-item-meta">
              {p.track_count} {p.track_count === 1 ? "track" : "tracks"} · {formatDuration(p.duration_seconds, "s")}
              {p.visibility !== "public" ? ` · ${p.visibility}` : ""}
            </p>
          </div>
        </li>
      )}
    </ListFrame>
  );
}

function PostList({ username, mine }: { username: string; mine: boolean }) {
  const list = usePaged<Post>(`/v1/users/${encodeURIComponent(username)}/posts`);
  return (
    <ListFrame list={list} label="Posts" empty={mine ? "You have not posted yet." : "No posts yet."}>
      {(post) => {
        const plainRepost = post.repost_of_id !== null && post.content === "";
        const shown = plainRepost && post.repost_of ? post.repost_of : post;
        return (
          <li key={post.id} class="profile-post card">
            <p class="muted profile-item-meta">
              {post.is_pinned && <span class="profile-pinned">Pinned · </span>}
              {plainRepost ? "Reposted" : "Posted"} · <a href={paths.post(post.id)}><Time value={post.created_at} /></a>
              {plainRepost && post.repost_of && (
                <>
                  {" "}
                  from <UserLink user={post.repost_of.author} />
                </>
              )}
            </p>
            {shown.content && <p class="post-content">{shown.content}</p>}
            {!plainRepost && post.repost_of && (
              <blockquote class="quote">
                <p class="feed-meta">
                  <UserLink user={post.repost_of.author} />
                </p>
                <p class="post-content">{post.repost_of.content}</p>
              </blockquote>
            )}
            {shown.hashtags.length > 0 && (
              <p class="profile-hashtags">
                {shown.hashtags.map((tag) => (
                  <a key={tag} href={paths.hashtag(tag)}>
                    #{tag}
                  </a>
                ))}
              </p>
            )}
            <p class="muted profile-item-meta">
              {shown.like_count} {shown.like_count === 1 ? "like" : "likes"} · {shown.comment_count} {shown.comment_count === 1 ? "comment" : "comments"} · {shown.repost_count}{" "}
              {shown.repost_count === 1 ? "repost" : "reposts"}
            </p>
          </li>
        );
      }}
    </ListFrame>
  );
}
