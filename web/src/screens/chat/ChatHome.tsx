import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { errorMessage, get } from "../../api";
import { paths } from "../../paths";
import { Button, Empty, FormError, Loading, Time, useApi, usePageTitle } from "../../ui";
import { excerpt } from "./format";
import { JoinControls } from "./JoinControls";
import { CreateRoomForm, JoinByCodeForm } from "./RoomForms";
import type { MyRoom, MyRoomList, Room, RoomList } from "./types";
import { badgeText, roomUnread, setUnreadFromRooms, unreadLabel } from "./unread";
import "./chat.css";

/** How often the list of my rooms refreshes itself while on screen (last messages, unread counts). */
const REFRESH_MS = 15_000;

/** `/chat`: my rooms (last message, unread badge), public rooms to discover and join, and a new room. */
export default function ChatHome() {
  usePageTitle("Chat");
  const { route } = useLocation();
  const open = (roomId: string) => route(paths.room(roomId));
  return (
    <div class="chat-home">
      <h1>Chat</h1>
      <div class="chat-home-grid">
        <MyRooms />
        <div class="chat-home-side">
          <Discover onJoined={open} />
          <section class="card" aria-labelledby="create-room-title">
            <h2 id="create-room-title">Create a room</h2>
            <CreateRoomForm onCreated={open} />
          </section>
          <section class="card" aria-labelledby="code-title">
            <h2 id="code-title">Join with a room code</h2>
            <JoinByCodeForm onJoined={open} />
          </section>
        </div>
      </div>
    </div>
  );
}

function MyRooms() {
  const first = useApi<MyRoomList>("/v1/me/rooms", { limit: 30 });
  const [more, setMore] = useState<MyRoom[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const next = cursor === undefined ? first.data?.next_cursor : cursor;
  const rooms = [...(first.data?.items ?? []), ...more.filter((r) => !first.data?.items.some((x) => x.id === r.id))];

  useEffect(() => {
    if (first.data) setUnreadFromRooms(first.data.items, first.data.next_cursor === null);
  }, [first.data]);

  // Fresh figures while the list is on screen, and whenever the page comes back into view.
  useEffect(() => {
    const refresh = () => document.visibilityState === "visible" && first.reload();
    const timer = setInterval(refresh, REFRESH_MS);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [first.reload]);

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<MyRoomList>("/v1/me/rooms", { limit: 30, cursor: next });
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
      setUnreadFromRooms(page.items, false);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section class="chat-my-rooms" aria-labelledby="my-rooms-title">
      <h2 id="my-rooms-title">Your rooms</h2>
      {first.loading && !first.data ? (
        <Loading label="Loading your rooms…" />
      ) : first.error && !first.data ? (
        <div role="alert" class="form-error">
          {errorMessage(first.error)} <Button onClick={first.reload}>Try again</Button>
        </div>
      ) : rooms.length === 0 ? (
        <Empty title="You are in no room yet">
          <p>Join a public room, or create your own.</p>
        </Empty>
      ) : (
        <>
          <ul class="room-list">
            {rooms.map((room) => (
              <MyRoomItem key={room.id} room={room} />
            ))}
          </ul>
          <FormError error={moreError} />
          {next && (
            <Button onClick={loadMore} busy={loadingMore}>
              More rooms
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function MyRoomItem({ room }: { room: MyRoom }) {
  const unread = roomUnread.value.get(room.id) ?? room.unread_count;
  const last = room.last_message;
  return (
    <li class={`room-item${unread ? " room-unread" : ""}`}>
      <a href={paths.room(room.id)} class="room-link">
        <span class="room-line">
          <span class="room-name">{room.name ?? "Room"}</span>
          {room.room_type === "private" && <span class="room-tag">Private</span>}
          {room.is_archived && <span class="room-tag">Archived</span>}
          {unread > 0 && (
            <span class="badge" data-unread={unread}>
              <span aria-hidden="true">{badgeText(unread)}</span>
              <span class="visually-hidden">, {unreadLabel(unread)}</span>
            </span>
          )}
        </span>
        <span class="room-last muted">
          {last ? (last.is_deleted ? `${last.sender.username}: message deleted` : `${last.sender.username}: ${excerpt(last.content, 90)}`) : "No messages yet"}
        </span>
      </a>
      {last && (
        <span class="room-time muted">
          <Time value={last.created_at} />
        </span>
      )}
    </li>
  );
}

function Discover({ onJoined }: { onJoined: (roomId: string) => void }) {
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const page = useApi<RoomList>("/v1/rooms", { limit: 10, q: query || undefined });
  const [more, setMore] = useState<{ key: string; items: Room[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const extra = more?.key === query ? more : null;
  const rooms = [...(page.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.cursor : page.data?.next_cursor;

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const p = await get<RoomList>("/v1/rooms", { limit: 10, q: query || undefined, cursor: next });
      setMore({ key: query, items: [...(extra?.items ?? []), ...p.items], cursor: p.next_cursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section class="card" aria-labelledby="discover-title">
      <h2 id="discover-title">Public rooms</h2>
      <div class="field">
        <label for="room-search">Search public rooms</label>
        <input id="room-search" type="search" value={q} maxLength={100} autoComplete="off" onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      {page.loading && !page.data ? (
        <Loading label="Loading rooms…" />
      ) : page.error ? (
        <div role="alert" class="form-error">
          {errorMessage(page.error)} <Button onClick={page.reload}>Try again</Button>
        </div>
      ) : rooms.length === 0 ? (
        <p class="muted">{query ? `No public room is called anything like “${query}”.` : "No public rooms yet: create the first one."}</p>
      ) : (
        <ul class="room-list room-list-discover" aria-busy={page.loading || undefined}>
          {rooms.map((room) => (
            <li key={room.id} class="room-item">
              <div class="room-about">
                <span class="room-name">{room.name ?? "Room"}</span>
                {room.topic && <span class="room-last muted">{excerpt(room.topic, 90)}</span>}
                <span class="room-last muted">
                  {room.member_count} {room.member_count === 1 ? "member" : "members"}
                  {room.has_password ? " · password" : ""}
                </span>
              </div>
              {room.my_membership ? (
                <a class="btn btn-secondary" href={paths.room(room.id)} aria-label={`Open ${room.name ?? "the room"}`}>
                  Open
                </a>
              ) : (
                <JoinControls room={room} onJoined={onJoined} />
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError error={moreError} />
      {next && (
        <Button onClick={loadMore} busy={loadingMore}>
          More rooms
        </Button>
      )}
    </section>
  );
}
