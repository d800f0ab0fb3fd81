import type { ChatMessage, OnlineMember, PresenceStatus } from "./protocol";

/**
 * A room's messages as this client knows them: one entry per message id, in seq order. Frames,
 * syncs and history pages all merge through `upsert`, which keeps the newer state of a message
 * (higher `rev`), so the order frames arrive in never rolls a message back.
 */
export class Timeline {
  private readonly byId = new Map<string, ChatMessage>();
  private sorted: ChatMessage[] = [];
  private dirty = false;

  /** Adds or updates messages; true when anything changed. */
  upsert(messages: Iterable<ChatMessage>): boolean {
    let changed = false;
    for (const m of messages) {
      const known = this.byId.get(m.id);
      if (known && known.rev >= m.rev) continue;
      this.byId.set(m.id, m);
      changed = true;
    }
    if (changed) this.dirty = true;
    return changed;
  }

  clear(): void {
    this.byId.clear();
    this.sorted = [];
    this.dirty = false;
  }

  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The messages in seq order (a new array after each change, so signals see it). */
  list(): ChatMessage[] {
    if (this.dirty) {
      this.sorted = [...this.byId.values()].sort((a, b) => a.seq - b.seq);
      this.dirty = false;
    }
    return this.sorted;
  }

  /** The lowest seq held (where the next history page starts), or null when empty. */
  oldestSeq(): number | null {
    return this.list()[0]?.seq ?? null;
  }

  /** Messages of others after `readSeq`, not deleted: the unread count of what is loaded. */
  unreadAfter(readSeq: number, myId: string): number {
    let n = 0;
    const list = this.list();
    for (let i = list.length - 1; i >= 0 && list[i]!.seq > readSeq; i--) {
      const m = list[i]!;
      if (m.sender.id !== myId && !m.is_deleted) n++;
    }
    return n;
  }
}

/** Who is online: one entry per user; `offline` removes them. */
export function withPresence(online: OnlineMember[], user: { user_id: string; username: string }, status: PresenceStatus): OnlineMember[] {
  const others = online.filter((m) => m.user_id !== user.user_id);
  return status === "offline" ? others : [...others, { user_id: user.user_id, username: user.username, status }].sort((a, b) => a.username.localeCompare(b.username));
}

export interface Typist {
  user_id: string;
  username: string;
  /** Epoch ms when the indicator lapses unless renewed. */
  until: number;
}

/** "nadia is typing…", "nadia and sam are typing…", "4 people are typing…" (empty: nobody). */
export function typingText(typists: readonly Typist[]): string {
  const names = typists.map((t) => t.username);
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return `${names.length} people are typing…`;
}
