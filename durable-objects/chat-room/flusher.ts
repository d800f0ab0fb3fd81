import type { Database } from "../../src/db/client";
import { flushRoom, type MentionNotification } from "../../src/domains/chat/flush-messages";
import { postgresCode } from "../../src/lib/database-errors";
import type { FlushItem, MemberState, RoomStorage } from "./storage";

/** New messages reach Postgres about this long after they were sent (one flush per window). */
export const FLUSH_DELAY_MS = 500;
const FLUSH_BATCH = 500;
const MAX_FLUSH_BACKOFF_MS = 60_000;

/**
 * The room's way to Postgres: the alarm runs one flush of up to FLUSH_BATCH pending messages, the
 * read markers and presence, in one round trip. A failure keeps everything (the storage still has
 * it) and retries with exponential backoff; a batch Postgres refuses for its content is split until
 * the offending message is alone, and that one is set aside.
 */
export class RoomFlusher {
  /** An alarm is known to be set (cleared when it runs): most sends skip reading the alarm. */
  private scheduled = false;

  constructor(
    private readonly store: RoomStorage,
    private readonly storage: DurableObjectStorage,
    private readonly db: () => Database,
    /** Pushes a new notification to its recipient's open sockets (best effort: Postgres has it). */
    private readonly notify: (notification: MentionNotification) => Promise<unknown>,
  ) {}

  /** Makes sure a flush runs within `delay` ms. */
  async schedule(delay = FLUSH_DELAY_MS): Promise<void> {
    if (this.scheduled && delay > 0) return;
    const at = await this.storage.getAlarm();
    if (at === null || at > Date.now() + delay) await this.storage.setAlarm(Date.now() + delay);
    this.scheduled = true;
  }

  /** The alarm. */
  async run(): Promise<void> {
    this.scheduled = false;
    const meta = this.store.meta();
    if (!meta) return;
    const { items, members, more } = this.store.pending(FLUSH_BATCH);
    if (!items.length && !members.length) return;
    try {
      await this.flush(meta.room_id, items, members);
      this.store.prune();
      if (this.store.hasPending()) await this.schedule(more ? 0 : FLUSH_DELAY_MS);
    } catch (err) {
      const failures = this.store.recordFlushFailure();
      console.error(JSON.stringify({ level: "error", msg: "chat flush failed", room_id: meta.room_id, pending: items.length, failures, error: err instanceof Error ? err.message : String(err) }));
      await this.schedule(Math.min(FLUSH_DELAY_MS * 2 ** failures, MAX_FLUSH_BACKOFF_MS));
    }
  }

  /**
   * One batch. Refused for its content (a constraint or data error, SQLSTATE class 22 or 23), it is
   * halved until the offending message is alone; that one is set aside (recordRefused) and the rest
   * is stored. Any other failure propagates: the batch is retried later.
   */
  private async flush(roomId: string, items: FlushItem[], members: MemberState[]): Promise<void> {
    try {
      const notifications = await flushRoom(this.db(), roomId, items, members);
      this.store.recordFlush(items, members);
      const delivered = await Promise.allSettled(notifications.map((n) => this.notify(n)));
      for (const d of delivered) if (d.status === "rejected") console.error(JSON.stringify({ level: "warn", msg: "mention not delivered live", error: String(d.reason) }));
    } catch (err) {
      const code = postgresCode(err);
      if (!code || !/^2[23]/.test(code)) throw err;
      const reason = `${code}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
      if (items.length && members.length) {
        await this.flush(roomId, items, []);
        return this.flush(roomId, [], members);
      }
      if (items.length + members.length === 1) {
        if (items[0]) this.store.recordRefused(items[0].message, reason);
        else this.store.dropMemberChanges(members);
        console.error(JSON.stringify({ level: "error", msg: "chat flush refused", room_id: roomId, message_id: items[0]?.message.id, user_id: members[0]?.user_id, reason }));
        return;
      }
      // One of the two lists is empty: halve the other.
      const half = Math.ceil((items.length || members.length) / 2);
      await this.flush(roomId, items.slice(0, half), members.slice(0, half));
      return this.flush(roomId, items.slice(half), members.slice(half));
    }
  }
}
