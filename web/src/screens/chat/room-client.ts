import { batch, signal } from "@preact/signals";
import { get } from "../../api";
import { permissions } from "../../../../durable-objects/chat-room/members";
import { RoomError, type ChatMessage, type ClientFrame, type Me, type OnlineMember, type RoomConfig, type ServerFrame } from "./protocol";
import { newId, RoomSocket } from "./room-socket";
import { Timeline, withPresence, type Typist } from "./timeline";
import type { MessagePage } from "./types";
import { setRoomUnread } from "./unread";

/**
 * A message typed here and not yet in the timeline: sending; waiting out slow mode (it goes by
 * itself at `retry_at`); or refused (kept to retry or discard).
 */
export interface PendingSend {
  nonce: string;
  content: string;
  reply_to_id: string | null;
  status: "sending" | "waiting" | "failed";
  error?: string;
  /** Epoch ms when a message held by slow mode goes again. */
  retry_at?: number;
  /** Acknowledged: it leaves the list when the room's frame for it arrives. */
  message_id?: string;
}

const HISTORY_PAGE = 50;
const TYPING_RENEW_MS = 3000;
const TYPING_IDLE_MS = 5000;

type TimerName = "typing" | "typists" | "read";

/**
 * One open room: its state as signals for the screen, fed by the room's socket (room-socket.ts) and
 * by history pages from the API, and the actions a member takes. Sends carry a nonce, so one sent
 * again after a reconnect is never posted twice; nothing typed is lost until the room refused it and
 * the person discarded it.
 */
export class RoomClient {
  readonly socket: RoomSocket;
  readonly messages = signal<ChatMessage[]>([]);
  readonly pending = signal<PendingSend[]>([]);
  readonly online = signal<OnlineMember[]>([]);
  readonly typists = signal<Typist[]>([]);
  readonly me = signal<Me | null>(null);
  readonly config = signal<RoomConfig | null>(null);
  /** My read marker. */
  readonly readSeq = signal(0);
  /** What was unread when the room opened (seqs after `read`, up to `latest`): the "new messages" line goes before it. */
  readonly unreadAtOpen = signal<{ read: number; latest: number } | null>(null);
  readonly history = signal<"idle" | "loading" | "done" | "error">("idle");
  readonly historyError = signal<unknown>(null);
  /** The last refusal of an action without a form of its own (a reaction, a pin), shown inline. */
  readonly notice = signal<string | null>(null);

  private readonly timeline = new Timeline();
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  /** Sends waiting out slow mode, by nonce. */
  private readonly held = new Map<string, ReturnType<typeof setTimeout>>();
  /** The highest seq seen: a reconnect asks for what changed after it. */
  private lastSeq: number | null = null;
  private stopped = false;
  private sentReadSeq = 0;
  private typingSentAt = 0;

  constructor(
    readonly roomId: string,
    private readonly myId: string,
  ) {
    this.socket = new RoomSocket(roomId, {
      frame: (frame) => this.handle(frame),
      dropped: () => {
        this.typists.value = [];
        this.typingSentAt = 0;
      },
      since: () => this.lastSeq,
    });
  }

  start(): void {
    document.addEventListener("visibilitychange", this.onVisibility);
    this.socket.start();
  }

  stop(): void {
    this.stopped = true;
    document.removeEventListener("visibilitychange", this.onVisibility);
    for (const t of [...this.timers.values(), ...this.held.values()]) clearTimeout(t);
    this.timers.clear();
    this.held.clear();
    this.socket.stop();
  }

  // ---- Actions ------------------------------------------------------------------------------

  /** Send a message (listed as pending until the room's frame for it arrives). */
  send(content: string, replyToId: string | null): void {
    const p: PendingSend = { nonce: newId(), content, reply_to_id: replyToId, status: "sending" };
    this.pending.value = [...this.pending.value, p];
    this.stopTyping();
    void this.deliver(p.nonce);
  }

  retry(nonce: string): void {
    this.release(nonce);
    this.updatePending(nonce, { status: "sending", error: undefined, retry_at: undefined });
    void this.deliver(nonce);
  }

  discard(nonce: string): void {
    this.release(nonce);
    this.pending.value = this.pending.value.filter((p) => p.nonce !== nonce);
  }

  private release(nonce: string): void {
    clearTimeout(this.held.get(nonce));
    this.held.delete(nonce);
  }

  edit(messageId: string, content: string): Promise<unknown> {
    return this.socket.request({ type: "edit", message_id: messageId, content });
  }

  remove(messageId: string): Promise<unknown> {
    return this.socket.request({ type: "delete", message_id: messageId });
  }

  /** Add my reaction, or take it back when I already reacted so. Refusals go to `notice`. */
  toggleReaction(message: ChatMessage, emoji: string): void {
    const mine = message.reactions.some((r) => r.emoji === emoji && r.user_ids.includes(this.myId));
    this.act({ type: mine ? "unreact" : "react", message_id: message.id, emoji });
  }

  togglePin(message: ChatMessage): void {
    this.act({ type: message.is_pinned ? "unpin" : "pin", message_id: message.id });
  }

  /** I am typing: tell the room (at most every few seconds); it lapses after a pause. */
  typing(): void {
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_RENEW_MS) {
      this.typingSentAt = now;
      this.quietly({ type: "typing", active: true });
    }
    this.later("typing", TYPING_IDLE_MS, () => this.stopTyping());
  }

  stopTyping(): void {
    this.clear("typing");
    if (!this.typingSentAt) return;
    this.typingSentAt = 0;
    this.quietly({ type: "typing", active: false });
  }

  /** I have seen the timeline up to `seq`: move the read marker (sent shortly, in one frame). */
  markSeen(seq: number): void {
    if (seq <= this.readSeq.value) return;
    this.readSeq.value = seq;
    this.updateUnread();
    this.later("read", 400, () => this.flushRead());
  }

  /** The page of history before the oldest message held. */
  async loadOlder(): Promise<void> {
    const state = this.history.value;
    if (state === "loading" || state === "done") return;
    const before = this.timeline.oldestSeq();
    if (before !== null && before <= 1) {
      this.history.value = "done";
      return;
    }
    this.history.value = "loading";
    try {
      const page = await get<MessagePage>(`/v1/rooms/${encodeURIComponent(this.roomId)}/messages`, { limit: HISTORY_PAGE, before_seq: before ?? undefined });
      if (this.stopped) return;
      batch(() => {
        if (this.timeline.upsert(page.items)) this.publish();
        this.history.value = page.next_before_seq === null ? "done" : "idle";
      });
    } catch (err) {
      batch(() => {
        this.historyError.value = err;
        this.history.value = "error";
      });
    }
  }

  message(id: string): ChatMessage | undefined {
    return this.timeline.get(id);
  }

  private readonly onVisibility = () => {
    if (this.socket.open) this.quietly({ type: "presence", status: document.visibilityState === "visible" ? "online" : "away" });
  };

  // ---- Frames -------------------------------------------------------------------------------

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "ready":
        return batch(() => {
          this.me.value = frame.me;
          this.config.value = frame.room;
          this.online.value = [...frame.online].sort((a, b) => a.username.localeCompare(b.username));
          this.readSeq.value = Math.max(this.readSeq.value, frame.last_read_seq);
          this.sentReadSeq = Math.max(this.sentReadSeq, frame.last_read_seq);
          this.unreadAtOpen.value ??= { read: frame.last_read_seq, latest: frame.seq };
          if (document.visibilityState !== "visible") this.onVisibility();
          for (const p of this.pending.value) if (p.status === "sending" && !p.message_id) void this.deliver(p.nonce);
          this.flushRead();
        });
      case "sync":
        return batch(() => {
          const first = this.lastSeq === null;
          // A gap that reaches past what the room keeps: start again from the newest page.
          const restart = !first && !frame.complete;
          if (restart) {
            this.timeline.clear();
            this.history.value = "idle";
          } else this.timeline.upsert(frame.messages);
          this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
          this.publish();
          // The room keeps its recent messages only: older ones (or all of them) come from the API.
          if (restart || (first && frame.messages.length < HISTORY_PAGE)) void this.loadOlder();
        });
      case "batch":
        return batch(() => {
          for (const f of frame.frames) this.applyTimeline(f.message, f.seq, f.type === "message");
          this.publish();
        });
      case "message":
      case "message_updated":
        return batch(() => {
          this.applyTimeline(frame.message, frame.seq, frame.type === "message");
          this.publish();
        });
      case "typing": {
        if (frame.user_id === this.myId) return;
        const others = this.typists.value.filter((t) => t.user_id !== frame.user_id);
        this.typists.value = frame.active ? [...others, { user_id: frame.user_id, username: frame.username, until: Date.now() + frame.expires_in_ms }] : others;
        return this.pruneTypists();
      }
      case "presence":
        return batch(() => {
          this.online.value = withPresence(this.online.value, frame, frame.status);
          if (frame.status === "offline") this.typists.value = this.typists.value.filter((t) => t.user_id !== frame.user_id);
        });
      case "member":
        if (frame.user_id === this.myId && frame.member) this.me.value = { ...frame.member, permissions: permissions(frame.member) };
        else if (!frame.member) this.online.value = this.online.value.filter((m) => m.user_id !== frame.user_id);
        return;
      case "room":
        this.config.value = frame.room;
        return;
      case "read":
        this.sentReadSeq = Math.max(this.sentReadSeq, frame.seq);
        if (frame.seq > this.readSeq.value) {
          this.readSeq.value = frame.seq;
          this.updateUnread();
        }
        return;
      case "error":
        // Not an answer to one of ours (those settle their request): say it, unless the socket is ending anyway.
        if (frame.code !== "token_expired") this.notice.value = frame.message;
        return;
    }
  }

  private applyTimeline(message: ChatMessage, seq: number, created: boolean): void {
    this.timeline.upsert([message]);
    this.lastSeq = Math.max(this.lastSeq ?? 0, seq);
    if (created && message.sender.id !== this.myId) this.typists.value = this.typists.value.filter((t) => t.user_id !== message.sender.id);
  }

  /** The timeline changed: a new list for the screen; acknowledged sends now in it leave the pending list. */
  private publish(): void {
    this.messages.value = this.timeline.list();
    const left = this.pending.value.filter((p) => !(p.message_id && this.timeline.has(p.message_id)));
    if (left.length !== this.pending.value.length) this.pending.value = left;
    this.updateUnread();
  }

  private updateUnread(): void {
    setRoomUnread(this.roomId, this.timeline.unreadAfter(this.readSeq.value, this.myId));
  }

  private pruneTypists(): void {
    const now = Date.now();
    const live = this.typists.value.filter((t) => t.until > now);
    if (live.length !== this.typists.value.length) this.typists.value = live;
    if (live.length) this.later("typists", Math.min(...live.map((t) => t.until)) - now + 50, () => this.pruneTypists());
  }

  private flushRead(): void {
    const seq = this.readSeq.value;
    if (seq <= this.sentReadSeq || !this.socket.open) return;
    this.socket.request({ type: "read", seq }).then(
      () => (this.sentReadSeq = Math.max(this.sentReadSeq, seq)),
      () => undefined, // sent again on the next ready
    );
  }

  private async deliver(nonce: string): Promise<void> {
    const p = this.pending.value.find((x) => x.nonce === nonce);
    if (!p || !this.socket.open) return; // sent when the room is back
    try {
      const ack = await this.socket.request({ type: "send", content: p.content, nonce, ...(p.reply_to_id ? { reply_to_id: p.reply_to_id } : {}) });
      const id = ack.type === "ack" ? ack.message_id : undefined;
      if (id && this.timeline.has(id)) this.discard(nonce);
      else this.updatePending(nonce, { message_id: id });
    } catch (err) {
      // Cut off: it goes again after the reconnect (same nonce: never twice).
      if (err instanceof RoomError && err.code === "closed") return;
      // Slow mode says when the next message may go: it goes then, by itself.
      if (err instanceof RoomError && err.code === "slow_mode" && err.retryAfterMs !== undefined) {
        const wait = Math.max(0, err.retryAfterMs) + 250;
        this.updatePending(nonce, { status: "waiting", error: err.message, retry_at: Date.now() + wait });
        this.held.set(nonce, setTimeout(() => this.retry(nonce), wait));
        return;
      }
      this.updatePending(nonce, { status: "failed", error: err instanceof Error ? err.message : String(err) });
    }
  }

  private updatePending(nonce: string, change: Partial<PendingSend>): void {
    this.pending.value = this.pending.value.map((p) => (p.nonce === nonce ? { ...p, ...change } : p));
  }

  /** An action whose refusal is shown as the room's notice. */
  private act(frame: ClientFrame): void {
    this.notice.value = null;
    this.socket.request(frame).catch((err: RoomError) => (this.notice.value = err.message));
  }

  /** A frame whose answer does not matter (typing, presence). */
  private quietly(frame: ClientFrame): void {
    this.socket.request(frame).catch(() => undefined);
  }

  private later(name: TimerName, ms: number, run: () => void): void {
    this.clear(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        run();
      }, ms),
    );
  }

  private clear(name: TimerName): void {
    const t = this.timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(name);
  }
}
