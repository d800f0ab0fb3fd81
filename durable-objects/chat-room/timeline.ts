import type { Database } from "../../src/db/client";
import { findAttachableFile, loadMessage, messageTypeOf } from "../../src/domains/chat/room-state";
import { isMuted, permissions, type MemberInfo, type RoomConfig } from "./members";
import { MAX_REACTION_KINDS, type ChatMessage, type ErrorCode, type SendInput } from "./protocol";
import type { RoomStorage, StoredMessage } from "./storage";

/** Why an operation was refused; becomes an error frame (socket) or a problem (REST). */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A change to broadcast: the frame's type, the message in its new state, and the event's seq. */
export interface TimelineEvent {
  type: "message" | "message_updated";
  message: ChatMessage;
  seq: number;
}

export interface Outcome {
  /** The message the operation is about (for acks). */
  message: ChatMessage;
  /** What every socket of the room must hear, in order (empty for a no-op such as a repeated nonce). */
  events: TimelineEvent[];
}

/**
 * The rules of the room's timeline: send, edit, delete, react, pin. Every check that needs
 * Postgres (an attachment, a message the room no longer keeps) happens before the first write;
 * from the first write to the return nothing awaits, so seq order is the order of the writes and
 * of the broadcasts.
 */
export class Timeline {
  constructor(
    private readonly store: RoomStorage,
    private readonly db: () => Database,
    private readonly roomId: string,
  ) {}

  async send(member: MemberInfo, room: RoomConfig, input: SendInput, now = Date.now()): Promise<Outcome> {
    this.assertCanWrite(member, room, now);
    if (input.nonce) {
      const earlier = this.store.byNonce(member.user_id, input.nonce);
      if (earlier) return { message: this.view(earlier), events: [] };
    }
    if (room.slow_mode_seconds > 0 && !permissions(member).manage_messages) {
      const last = this.store.member(member.user_id).last_sent_at;
      const wait = last === null ? 0 : last + room.slow_mode_seconds * 1000 - now;
      if (wait > 0) throw new Refusal("slow_mode", `Slow mode: one message every ${room.slow_mode_seconds} s.`, wait);
    }
    const replyTo = input.reply_to_id ? await this.existing(input.reply_to_id) : null;
    let root = input.thread_root_id ? await this.existing(input.thread_root_id) : null;
    // Threads are one level deep: a reply in a thread belongs to the thread's root.
    if (root?.thread_root_id) root = await this.existing(root.thread_root_id);
    if (root && root.deleted_at !== null) throw new Refusal("not_found", "That thread's first message was deleted.");
    const attachment = input.attachment_file_id ? await this.attachment(member.user_id, input.attachment_file_id) : null;

    const id = crypto.randomUUID();
    const { seq, at } = this.store.nextEvent(now);
    const stored: StoredMessage = {
      id,
      seq,
      rev: seq,
      flushed_rev: 0,
      sender_id: member.user_id,
      sender_username: member.username,
      sender_nickname: member.nickname,
      nonce: input.nonce ?? null,
      content: input.content,
      message_type: attachment ? messageTypeOf(attachment.mime_type) : "text",
      attachment: attachment ? JSON.stringify(attachment) : null,
      reply_to_id: replyTo?.id ?? null,
      reply_to_created_at: replyTo?.created_at ?? null,
      thread_root_id: root?.id ?? null,
      thread_root_created_at: root?.created_at ?? null,
      thread_count: 0,
      edited_at: null,
      edit_count: 0,
      deleted_at: null,
      deleted_by: null,
      is_pinned: 0,
      created_at: at,
    };
    this.store.insertMessage(stored);
    // Only slow mode reads when a member last sent; a room without it skips the write.
    if (room.slow_mode_seconds > 0) this.store.setLastSent(member.user_id, now);
    const sent = this.store.toChatMessage(stored, this.roomId, []);
    const events: TimelineEvent[] = [{ type: "message", message: sent, seq }];
    if (root) events.push(this.change(root.id, { thread_count: this.store.message(root.id)!.thread_count + 1 }, now));
    return { message: sent, events };
  }

  async edit(member: MemberInfo, room: RoomConfig, messageId: string, content: string, now = Date.now()): Promise<Outcome> {
    this.assertCanWrite(member, room, now);
    const m = await this.existing(messageId);
    if (m.sender_id !== member.user_id) throw new Refusal("forbidden", "You can only edit your own messages.");
    if (m.deleted_at !== null) throw new Refusal("not_found", "That message was deleted.");
    if (m.content === content) return { message: this.view(m), events: [] };
    return this.outcome(this.change(messageId, { content, edited_at: now, edit_count: m.edit_count + 1 }, now));
  }

  async delete(member: MemberInfo, room: RoomConfig, messageId: string, now = Date.now()): Promise<Outcome> {
    if (room.is_archived) throw new Refusal("archived", "This room is archived: it is read-only.");
    const m = await this.existing(messageId);
    if (m.sender_id !== member.user_id && !permissions(member).manage_messages) throw new Refusal("forbidden", "You can only delete your own messages.");
    if (m.deleted_at !== null) return { message: this.view(m), events: [] };
    return this.outcome(this.change(messageId, { deleted_at: now, deleted_by: member.user_id, is_pinned: 0 }, now));
  }

  async react(member: MemberInfo, room: RoomConfig, messageId: string, emoji: string, add: boolean, now = Date.now()): Promise<Outcome> {
    this.assertCanWrite(member, room, now);
    const m = await this.existing(messageId);
    if (m.deleted_at !== null) throw new Refusal("not_found", "That message was deleted.");
    if (add) {
      const kinds = this.store.reactionKinds(messageId);
      if (!kinds.includes(emoji) && kinds.length >= MAX_REACTION_KINDS) throw new Refusal("too_many_reactions", `A message has at most ${MAX_REACTION_KINDS} different reactions.`);
      if (!this.store.addReaction(messageId, member.user_id, emoji, now)) return { message: this.view(m), events: [] };
    } else if (!this.store.removeReaction(messageId, member.user_id, emoji)) {
      return { message: this.view(m), events: [] };
    }
    return this.outcome(this.change(messageId, {}, now));
  }

  async pin(member: MemberInfo, room: RoomConfig, messageId: string, pinned: boolean, now = Date.now()): Promise<Outcome> {
    if (room.is_archived) throw new Refusal("archived", "This room is archived: it is read-only.");
    if (!permissions(member).manage_messages) throw new Refusal("forbidden", "Pinning needs the permission to manage messages.");
    const m = await this.existing(messageId);
    if (m.deleted_at !== null) throw new Refusal("not_found", "That message was deleted.");
    if ((m.is_pinned === 1) === pinned) return { message: this.view(m), events: [] };
    return this.outcome(this.change(messageId, { is_pinned: pinned ? 1 : 0 }, now));
  }

  /**
   * A platform moderator hides a message (`hidden`) or brings it back: the same state as a delete
   * (deleted_at, deleted_by = the moderator), so every socket, page and flush treats it alike;
   * restoring clears it again. Idempotent: a message already in that state is a no-op (no event).
   * Neither archiving nor mutes apply: moderation is not a member's write.
   */
  async moderate(messageId: string, moderatorId: string, hidden: boolean, now = Date.now()): Promise<Outcome> {
    const m = await this.existing(messageId);
    if ((m.deleted_at !== null) === hidden) return { message: this.view(m), events: [] };
    const change = hidden ? { deleted_at: now, deleted_by: moderatorId, is_pinned: 0 } : { deleted_at: null, deleted_by: null };
    return this.outcome(this.change(messageId, change, now));
  }

  view(m: StoredMessage): ChatMessage {
    return this.store.toChatMessage(m, this.roomId);
  }

  private outcome(event: TimelineEvent): Outcome {
    return { message: event.message, events: [event] };
  }

  private change(messageId: string, change: Parameters<RoomStorage["update"]>[2], now: number): TimelineEvent {
    const { seq } = this.store.nextEvent(now);
    this.store.update(messageId, seq, change);
    return { type: "message_updated", message: this.view(this.store.message(messageId)!), seq };
  }

  /** Archived rooms and muted members write nothing (typing included). */
  assertCanWrite(member: MemberInfo, room: RoomConfig, now = Date.now()): void {
    if (room.is_archived) throw new Refusal("archived", "This room is archived: it is read-only.");
    if (isMuted(member, now)) {
      const left = member.muted_forever ? undefined : member.muted_until! - now;
      throw new Refusal("muted", member.muted_forever ? "You are muted in this room." : `You are muted in this room for ${Math.ceil(left! / 1000)} more seconds.`, left);
    }
  }

  /** A message of this room: from the storage, or from Postgres when the room no longer keeps it. */
  private async existing(messageId: string): Promise<StoredMessage> {
    const kept = this.store.message(messageId);
    if (kept) return kept;
    let loaded;
    try {
      loaded = await loadMessage(this.db(), this.roomId, messageId);
    } catch {
      throw new Refusal("database_unavailable", "That message cannot be read right now; retry shortly.");
    }
    if (!loaded) throw new Refusal("not_found", "There is no such message in this room.");
    // Another operation may have restored it while this one waited.
    if (!this.store.message(messageId)) this.store.restoreMessage(loaded.message, loaded.reactions);
    return this.store.message(messageId)!;
  }

  private async attachment(userId: string, fileId: string) {
    let file;
    try {
      file = await findAttachableFile(this.db(), userId, fileId);
    } catch {
      throw new Refusal("database_unavailable", "The attachment cannot be checked right now; retry shortly.");
    }
    if (!file) throw new Refusal("invalid_attachment", "Attach one of your own uploaded files.");
    return file;
  }
}
