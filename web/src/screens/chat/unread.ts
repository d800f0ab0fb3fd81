/**
 * Unread chat messages, per room and in total — small enough for the shell's header to import
 * (`chatUnread` for the "Chat" badge, `watchChatUnread()` to keep it fresh) without pulling the chat
 * screens into the first load. The rooms list and an open room set the figures they know better.
 */
import { computed, signal } from "@preact/signals";
import { get, getTokens } from "../../api";
import type { MyRoomList } from "./types";

/** Unread messages by room id (what GET /v1/me/rooms said, corrected live by open rooms). */
export const roomUnread = signal<ReadonlyMap<string, number>>(new Map());

/** Unread messages in all my rooms. */
export const chatUnread = computed(() => {
  let total = 0;
  for (const n of roomUnread.value.values()) total += n;
  return total;
});

/** "3", "99+": what a badge shows. */
export const badgeText = (count: number) => (count > 99 ? "99+" : String(count));

/** "3 unread messages", for screen readers. */
export const unreadLabel = (count: number) => `${count > 999 ? "more than 999" : count} unread ${count === 1 ? "message" : "messages"}`;

/** Replace the figures with a page of GET /v1/me/rooms (the rooms list does this as it loads). */
export function setUnreadFromRooms(rooms: MyRoomList["items"], complete: boolean): void {
  const next = new Map(complete ? [] : roomUnread.value);
  for (const room of rooms) next.set(room.id, room.unread_count);
  roomUnread.value = next;
}

/** An open room knows its own count best. */
export function setRoomUnread(roomId: string, count: number): void {
  if (roomUnread.value.get(roomId) === count) return;
  const next = new Map(roomUnread.value);
  next.set(roomId, count);
  roomUnread.value = next;
}

let inflight: Promise<void> | null = null;

/** Fetch the counts again (first 100 rooms, by last activity). Concurrent calls share one request. */
export function refreshChatUnread(): Promise<void> {
  if (!getTokens()) {
    roomUnread.value = new Map();
    return Promise.resolve();
  }
  inflight ??= get<MyRoomList>("/v1/me/rooms", { limit: 100 })
    .then((page) => setUnreadFromRooms(page.items, true))
    .catch(() => undefined)
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/**
 * Keep `chatUnread` fresh while the page is visible: now, every `intervalMs`, and whenever the
 * page comes back into view. Returns the stop function.
 */
export function watchChatUnread(intervalMs = 60_000): () => void {
  const tick = () => {
    if (document.visibilityState === "visible") void refreshChatUnread();
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  document.addEventListener("visibilitychange", tick);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", tick);
  };
}
