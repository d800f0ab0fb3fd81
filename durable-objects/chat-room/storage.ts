import type { ChatAttachment, ChatMessage, MessageType, ReactionSummary } from "./protocol";
import type { RoomConfig } from "./members";

/**
 * The room's SQLite storage: the authoritative copy of recent messages. A message is written here
 * before anyone hears of it (the runtime's output gate holds the ack and the broadcast until the
 * write is durable), then flushed to Postgres; `flushed_rev < rev` marks what Postgres has not seen
 * in its current state yet. Flushed messages beyond KEEP_MESSAGES are pruned (Postgres has them).
 */

export const KEEP_MESSAGES = 5000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS room_meta (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     room_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     last_created_at INTEGER NOT NULL,
     pruned_rev INTEGER NOT NULL DEFAULT 0,
     flush_failures INTEGER NOT NULL DEFAULT 0,
     config TEXT
   )`,
  // Keyed by seq (the rowid: no separate index) with one index, on id. Every index is written on
  // every message and the broadcast waits for the write to be durable (the output gate): measured in
  // the chat bench, five B-trees per message cost half the room's throughput, two do not. Replays
  // (rev) and flushes (rev > flushed_rev) scan at most KEEP_MESSAGES rows instead.
  `CREATE TABLE IF NOT EXISTS messages (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     rev INTEGER NOT NULL,
     flushed_rev INTEGER NOT NULL DEFAULT 0,
     sender_id TEXT NOT NULL,
     sender_username TEXT NOT NULL,
     sender_nickname TEXT,
     nonce TEXT,
     content TEXT NOT NULL,
     message_type TEXT NOT NULL,
     attachment TEXT,
     reply_to_id TEXT,
     reply_to_created_at INTEGER,
     thread_root_id TEXT,
     thread_root_created_at INTEGER,
     thread_count INTEGER NOT NULL DEFAULT 0,
     edited_at INTEGER,
     edit_count INTEGER NOT NULL DEFAULT 0,
     deleted_at INTEGER,
     deleted_by TEXT,
     is_pinned INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     flush_error TEXT
   )`,
  "CREATE UNIQUE INDEX IF NOT EXISTS messages_nonce ON messages(sender_id, nonce) WHERE nonce IS NOT NULL",
  `CREATE TABLE IF NOT EXISTS reactions (
     message_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     emoji TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (message_id, user_id, emoji)
   )`,
  `CREATE TABLE IF NOT EXISTS members (
     user_id TEXT PRIMARY KEY,
     last_sent_at INTEGER,
     read_seq INTEGER NOT NULL DEFAULT 0,
     read_at INTEGER,
     read_dirty INTEGER NOT NULL DEFAULT 0,
     presence TEXT,
     presence_at INTEGER,
     presence_dirty INTEGER NOT NULL DEFAULT 0
   )`,
];

export type StoredMessage = {
  id: string;
  /** Why Postgres refused this message for good (see recordRefused), or null. */
  flush_error?: string | null;
  seq: number;
  rev: number;
  flushed_rev: number;
  sender_id: string;
  sender_username: string;
  sender_nickname: string | null;
  nonce: string | null;
  content: string;
  message_type: MessageType;
  attachment: string | null;
  reply_to_id: string | null;
  reply_to_created_at: number | null;
  thread_root_id: string | null;
  thread_root_created_at: number | null;
  thread_count: number;
  edited_at: number | null;
  edit_count: number;
  deleted_at: number | null;
  deleted_by: string | null;
  is_pinned: number;
  created_at: number;
};

export type MemberState = {
  user_id: string;
  last_sent_at: number | null;
  read_seq: number;
  read_at: number | null;
  read_dirty: number;
  presence: string | null;
  presence_at: number | null;
  presence_dirty: number;
};

type Meta = {
  room_id: string;
  seq: number;
  last_created_at: number;
  pruned_rev: number;
  flush_failures: number;
  config: string | null;
};

/** What a flush sends for one message: its stored row and its present reactions. */
export interface FlushItem {
  message: StoredMessage;
  reactions: Array<{ user_id: string; emoji: string; created_at: number }>;
}

export class RoomStorage {
  /** room_meta, read on every message: cached, and dropped by every other write to it. */
  private cachedMeta: Meta | null = null;
  private cachedConfig: RoomConfig | null = null;

  constructor(private readonly sql: SqlStorage) {
    // The tables are (re)created on every construction: deleteAll() drops them with the data.
    this.ensureSchema();
  }

  ensureSchema(): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  meta(): Meta | null {
    this.cachedMeta ??= this.sql.exec<Meta>("SELECT room_id, seq, last_created_at, pruned_rev, flush_failures, config FROM room_meta WHERE id = 1").toArray()[0] ?? null;
    return this.cachedMeta;
  }

  private metaChanged(): void {
    this.cachedMeta = null;
    this.cachedConfig = null;
  }

  /** First use of the room's object: its seq continues from Postgres' (an object that lost its storage never reuses a seq). */
  initialise(roomId: string, seq: number): void {
    this.sql.exec("INSERT OR IGNORE INTO room_meta (id, room_id, seq, last_created_at) VALUES (1, ?, ?, 0)", roomId, seq);
    this.metaChanged();
  }

  config(): RoomConfig | null {
    const raw = this.meta()?.config;
    this.cachedConfig ??= raw ? (JSON.parse(raw) as RoomConfig) : null;
    return this.cachedConfig;
  }

  setConfig(config: RoomConfig): void {
    this.sql.exec("UPDATE room_meta SET config = ? WHERE id = 1", JSON.stringify(config));
    this.metaChanged();
  }

  /** The next seq and a created_at that never goes backwards (timeline order = seq order = time order). */
  nextEvent(now: number): { seq: number; at: number } {
    const meta = this.meta()!;
    const seq = meta.seq + 1;
    const at = Math.max(now, meta.last_created_at);
    this.sql.exec("UPDATE room_meta SET seq = ?, last_created_at = ? WHERE id = 1", seq, at);
    meta.seq = seq;
    meta.last_created_at = at;
    return { seq, at };
  }

  insertMessage(m: Omit<StoredMessage, "flushed_rev">): void {
    this.sql.exec(
      `INSERT INTO messages (id, seq, rev, sender_id, sender_username, sender_nickname, nonce, content, message_type, attachment,
         reply_to_id, reply_to_created_at, thread_root_id, thread_root_created_at, thread_count, edited_at, edit_count,
         deleted_at, deleted_by, is_pinned, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.id, m.seq, m.rev, m.sender_id, m.sender_username, m.sender_nickname, m.nonce, m.content, m.message_type, m.attachment,
      m.reply_to_id, m.reply_to_created_at, m.thread_root_id, m.thread_root_created_at, m.thread_count, m.edited_at, m.edit_count,
      m.deleted_at, m.deleted_by, m.is_pinned, m.created_at,
    );
  }

  /** A message loaded back from Postgres (it had been pruned): already flushed in this state. */
  restoreMessage(m: Omit<StoredMessage, "flushed_rev" | "rev">, reactions: FlushItem["reactions"]): void {
    this.insertMessage({ ...m, rev: 0 });
    for (const r of reactions) this.sql.exec("INSERT OR IGNORE INTO reactions VALUES (?, ?, ?, ?)", m.id, r.user_id, r.emoji, r.created_at);
  }

  message(id: string): StoredMessage | null {
    return this.sql.exec<StoredMessage>("SELECT * FROM messages WHERE id = ?", id).toArray()[0] ?? null;
  }

  byNonce(senderId: string, nonce: string): StoredMessage | null {
    return this.sql.exec<StoredMessage>("SELECT * FROM messages WHERE sender_id = ? AND nonce = ?", senderId, nonce).toArray()[0] ?? null;
  }

  /** Applies a change to a message and gives it the event's seq as its rev. */
  update(id: string, rev: number, change: Partial<Pick<StoredMessage, "content" | "edited_at" | "edit_count" | "deleted_at" | "deleted_by" | "is_pinned" | "thread_count">>): void {
    const columns = Object.keys(change);
    const assignments = columns.map((c) => `${c} = ?`).join(", ");
    this.sql.exec(`UPDATE messages SET ${assignments}${columns.length ? ", " : ""}rev = ? WHERE id = ?`, ...Object.values(change), rev, id);
  }

  addReaction(messageId: string, userId: string, emoji: string, at: number): boolean {
    return this.sql.exec("INSERT OR IGNORE INTO reactions VALUES (?, ?, ?, ?)", messageId, userId, emoji, at).rowsWritten > 0;
  }

  removeReaction(messageId: string, userId: string, emoji: string): boolean {
    return this.sql.exec("DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?", messageId, userId, emoji).rowsWritten > 0;
  }

  reactionKinds(messageId: string): string[] {
    return this.sql.exec<{ emoji: string }>("SELECT DISTINCT emoji FROM reactions WHERE message_id = ?", messageId).toArray().map((r) => r.emoji);
  }

  reactions(messageId: string): ReactionSummary[] {
    const rows = this.sql
      .exec<{ emoji: string; user_id: string }>("SELECT emoji, user_id FROM reactions WHERE message_id = ? ORDER BY created_at, user_id", messageId)
      .toArray();
    const byEmoji = new Map<string, string[]>();
    for (const r of rows) byEmoji.set(r.emoji, [...(byEmoji.get(r.emoji) ?? []), r.user_id]);
    return [...byEmoji].map(([emoji, user_ids]) => ({ emoji, count: user_ids.length, user_ids }));
  }

  /** Messages changed after `since`, oldest change first; `limit + 1` rows tell whether there are more. */
  changedSince(since: number, limit: number): StoredMessage[] {
    return this.sql.exec<StoredMessage>("SELECT * FROM messages WHERE rev > ? ORDER BY rev LIMIT ?", since, limit).toArray();
  }

  /** The newest messages before `beforeSeq`, newest first. */
  page(beforeSeq: number, limit: number): StoredMessage[] {
    return this.sql.exec<StoredMessage>("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", beforeSeq, limit).toArray();
  }

  /** The oldest seq this storage holds (every older message is in Postgres), or null when empty. */
  oldestSeq(): number | null {
    return this.sql.exec<{ s: number | null }>("SELECT min(seq) AS s FROM messages").one().s;
  }

  countUnread(userId: string, afterSeq: number): number {
    return this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM messages WHERE seq > ? AND sender_id <> ? AND deleted_at IS NULL", afterSeq, userId)
      .one().n;
  }

  hasAttachment(fileId: string): boolean {
    return this.sql.exec("SELECT 1 FROM messages WHERE json_extract(attachment, '$.file_id') = ? AND deleted_at IS NULL LIMIT 1", fileId).toArray().length > 0;
  }

  member(userId: string): MemberState {
    this.sql.exec("INSERT OR IGNORE INTO members (user_id) VALUES (?)", userId);
    return this.sql.exec<MemberState>("SELECT * FROM members WHERE user_id = ?", userId).one();
  }

  setLastSent(userId: string, at: number): void {
    this.sql.exec("UPDATE members SET last_sent_at = ? WHERE user_id = ?", at, userId);
  }

  /** Moves the read marker forward only; true when it moved. */
  markRead(userId: string, seq: number, at: number): boolean {
    this.member(userId);
    return this.sql.exec("UPDATE members SET read_seq = ?, read_at = ?, read_dirty = 1 WHERE user_id = ? AND read_seq < ?", seq, at, userId, seq).rowsWritten > 0;
  }

  setPresence(userId: string, status: string, at: number): void {
    this.member(userId);
    this.sql.exec("UPDATE members SET presence = ?, presence_at = ?, presence_dirty = 1 WHERE user_id = ?", status, at, userId);
  }

  /** Everything Postgres has not seen: up to `limit` messages (oldest change first), read markers, presence. */
  pending(limit: number): { items: FlushItem[]; members: MemberState[]; more: boolean } {
    const rows = this.sql.exec<StoredMessage>("SELECT * FROM messages WHERE rev > flushed_rev ORDER BY rev LIMIT ?", limit + 1).toArray();
    const more = rows.length > limit;
    const batch = rows.slice(0, limit);
    const reactions = new Map<string, FlushItem["reactions"]>();
    if (batch.length) {
      const found = this.sql
        .exec<{ message_id: string; user_id: string; emoji: string; created_at: number }>(
          "SELECT message_id, user_id, emoji, created_at FROM reactions WHERE message_id IN (SELECT value FROM json_each(?))",
          JSON.stringify(batch.map((m) => m.id)),
        )
        .toArray();
      for (const { message_id, ...r } of found) reactions.set(message_id, [...(reactions.get(message_id) ?? []), r]);
    }
    const items = batch.map((message) => ({ message, reactions: reactions.get(message.id) ?? [] }));
    const members = this.sql.exec<MemberState>("SELECT * FROM members WHERE read_dirty = 1 OR presence_dirty = 1").toArray();
    return { items, members, more };
  }

  /**
   * A message Postgres refuses for good (a constraint it breaks, e.g. a reply to a message the
   * database no longer has): it stops holding up the others, stays here — never pruned, still in
   * the room's history — and the reason is kept for an operator.
   */
  recordRefused(message: StoredMessage, reason: string): void {
    this.sql.exec("UPDATE messages SET flushed_rev = rev, flush_error = ? WHERE seq = ? AND rev = ?", reason, message.seq, message.rev);
  }

  /** Member rows Postgres refuses (their user is gone): no longer pending. */
  dropMemberChanges(members: MemberState[]): void {
    for (const m of members) this.sql.exec("UPDATE members SET read_dirty = 0, presence_dirty = 0 WHERE user_id = ?", m.user_id);
  }

  hasPending(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM messages WHERE rev > flushed_rev LIMIT 1").toArray().length > 0 ||
      this.sql.exec("SELECT 1 FROM members WHERE read_dirty = 1 OR presence_dirty = 1 LIMIT 1").toArray().length > 0
    );
  }

  /**
   * After a successful flush: each message is marked flushed at the rev that was sent (a change made
   * during the flush keeps it pending), and so are the member rows that were sent unchanged.
   */
  recordFlush(items: FlushItem[], members: MemberState[]): void {
    if (items.length) {
      this.sql.exec(
        `UPDATE messages SET flushed_rev = f.rev FROM (SELECT value ->> 'seq' AS seq, value ->> 'rev' AS rev FROM json_each(?)) f
          WHERE messages.seq = f.seq AND messages.flushed_rev < f.rev`,
        JSON.stringify(items.map(({ message }) => ({ seq: message.seq, rev: message.rev }))),
      );
    }
    for (const m of members) {
      this.sql.exec("UPDATE members SET read_dirty = 0 WHERE user_id = ? AND read_seq = ?", m.user_id, m.read_seq);
      this.sql.exec("UPDATE members SET presence_dirty = 0 WHERE user_id = ? AND presence IS ? AND presence_at IS ?", m.user_id, m.presence, m.presence_at);
    }
    this.sql.exec("UPDATE room_meta SET flush_failures = 0 WHERE id = 1");
    this.metaChanged();
  }

  recordFlushFailure(): number {
    this.sql.exec("UPDATE room_meta SET flush_failures = flush_failures + 1 WHERE id = 1");
    this.metaChanged();
    return this.meta()!.flush_failures;
  }

  /** Drops the oldest flushed messages beyond KEEP_MESSAGES; remembers the newest rev it dropped. */
  prune(): void {
    const excess = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM messages").one().n - KEEP_MESSAGES;
    if (excess <= 0) return;
    const victims = this.sql
      .exec<{ id: string; rev: number }>("SELECT id, rev FROM messages WHERE flushed_rev = rev AND flush_error IS NULL ORDER BY seq LIMIT ?", excess)
      .toArray();
    if (!victims.length) return;
    const maxRev = Math.max(...victims.map((v) => v.rev));
    const ids = JSON.stringify(victims.map((v) => v.id));
    this.sql.exec("DELETE FROM reactions WHERE message_id IN (SELECT value FROM json_each(?))", ids);
    this.sql.exec("DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))", ids);
    this.sql.exec("UPDATE room_meta SET pruned_rev = max(pruned_rev, ?) WHERE id = 1", maxRev);
    this.metaChanged();
  }

  /** The wire shape of a stored message; `reactions` when the caller knows them (a new message has none). */
  toChatMessage(m: StoredMessage, roomId: string, reactions?: ReactionSummary[]): ChatMessage {
    const deleted = m.deleted_at !== null;
    return {
      id: m.id,
      room_id: roomId,
      seq: m.seq,
      rev: Math.max(m.rev, m.seq),
      sender: { id: m.sender_id, username: m.sender_username, nickname: m.sender_nickname },
      content: deleted ? "" : m.content,
      message_type: m.message_type,
      attachment: deleted || !m.attachment ? null : (JSON.parse(m.attachment) as ChatAttachment),
      reply_to_id: m.reply_to_id,
      thread_root_id: m.thread_root_id,
      thread_count: m.thread_count,
      mentions: deleted ? [] : mentionedUsernames(m.content),
      is_edited: m.edited_at !== null,
      edited_at: m.edited_at === null ? null : new Date(m.edited_at).toISOString(),
      edit_count: m.edit_count,
      is_deleted: deleted,
      is_pinned: m.is_pinned === 1,
      reactions: deleted ? [] : (reactions ?? this.reactions(m.id)),
      created_at: new Date(m.created_at).toISOString(),
    };
  }
}

/** `@name` mentions, as usernames (3-30 letters, digits, underscores: the users' CHECK), once each. */
export const MENTION_PATTERN = /(?<![\w@])@([A-Za-z0-9_]{3,30})\b/g;

export function mentionedUsernames(content: string): string[] {
  return [...new Set([...content.matchAll(MENTION_PATTERN)].map((m) => m[1]!.toLowerCase()))];
}
