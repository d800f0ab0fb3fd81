import type { QueueItem, RepeatMode } from "./protocol";
import type { QueueData } from "./state";

/**
 * The queue in the object's SQLite storage, the only authoritative copy between flushes: read on
 * every operation (synchronous, microseconds) so an evicted or hibernated object loses nothing.
 * One `queue_meta` row (the playback fields, the owner and the flush bookkeeping) and one
 * `queue_items` row per item, with its play-order and unshuffled-order ranks.
 *
 * The tables are created on every access: `storage.deleteAll()` drops them along with the data,
 * and an object whose storage was wiped must come back as a new one (loaded from Postgres).
 */

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS queue_meta (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     user_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     current_item_id TEXT,
     position_ms INTEGER NOT NULL,
     position_updated_at INTEGER NOT NULL,
     is_playing INTEGER NOT NULL,
     shuffle INTEGER NOT NULL,
     repeat TEXT NOT NULL,
     volume INTEGER NOT NULL,
     flushed_version INTEGER NOT NULL,
     flush_failures INTEGER NOT NULL DEFAULT 0
   )`,
  `CREATE TABLE IF NOT EXISTS queue_items (
     item_id TEXT PRIMARY KEY,
     track_id TEXT NOT NULL,
     title TEXT NOT NULL,
     artist TEXT,
     duration_ms INTEGER,
     creator_username TEXT NOT NULL,
     cover_url TEXT,
     available INTEGER NOT NULL,
     added_at TEXT NOT NULL,
     play_rank INTEGER NOT NULL,
     original_rank INTEGER NOT NULL
   )`,
];

type MetaRow = {
  user_id: string;
  version: number;
  current_item_id: string | null;
  position_ms: number;
  position_updated_at: number;
  is_playing: number;
  shuffle: number;
  repeat: string;
  volume: number;
  flushed_version: number;
  flush_failures: number;
};

type ItemRow = Omit<QueueItem, "available"> & { available: number; original_rank: number };

export interface StoredQueue {
  userId: string;
  queue: QueueData;
  flushedVersion: number;
  flushFailures: number;
}

export class QueueStorage {
  constructor(private readonly sql: SqlStorage) {}

  private ensureSchema(): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  /** The stored queue, or null for an object that has none yet (new, or its storage was wiped). */
  read(): StoredQueue | null {
    this.ensureSchema();
    const meta = this.sql.exec<MetaRow>("SELECT * FROM queue_meta WHERE id = 1").toArray()[0];
    if (!meta) return null;
    const rows = this.sql
      .exec<ItemRow>(
        "SELECT item_id, track_id, title, artist, duration_ms, creator_username, cover_url, available, added_at, original_rank FROM queue_items ORDER BY play_rank",
      )
      .toArray();
    const items: QueueItem[] = rows.map(({ original_rank: _, available, ...item }) => ({ ...item, available: available === 1 }));
    const original = [...rows].sort((a, b) => a.original_rank - b.original_rank).map((r) => r.item_id);
    return {
      userId: meta.user_id,
      flushedVersion: meta.flushed_version,
      flushFailures: meta.flush_failures,
      queue: {
        version: meta.version,
        items,
        original,
        current_item_id: meta.current_item_id,
        position_ms: meta.position_ms,
        position_updated_at: meta.position_updated_at,
        is_playing: meta.is_playing === 1,
        shuffle: meta.shuffle === 1,
        repeat: meta.repeat as RepeatMode,
        volume: meta.volume,
      },
    };
  }

  /**
   * Writes the playback fields, and the items too when the list changed (one JSON parameter, one
   * statement). `flushedVersion` is only taken by the first write (a queue loaded from Postgres).
   */
  write(userId: string, queue: QueueData, options: { items: boolean; flushedVersion?: number }): void {
    this.ensureSchema();
    this.sql.exec(
      `INSERT INTO queue_meta (id, user_id, version, current_item_id, position_ms, position_updated_at, is_playing, shuffle, repeat, volume, flushed_version)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, current_item_id = excluded.current_item_id,
         position_ms = excluded.position_ms, position_updated_at = excluded.position_updated_at, is_playing = excluded.is_playing,
         shuffle = excluded.shuffle, repeat = excluded.repeat, volume = excluded.volume`,
      userId,
      queue.version,
      queue.current_item_id,
      queue.position_ms,
      queue.position_updated_at,
      queue.is_playing ? 1 : 0,
      queue.shuffle ? 1 : 0,
      queue.repeat,
      queue.volume,
      options.flushedVersion ?? 0,
    );
    if (!options.items) return;
    const rank = new Map(queue.original.map((id, i) => [id, i]));
    const rows = queue.items.map((item, i) => ({ ...item, available: item.available ? 1 : 0, play_rank: i, original_rank: rank.get(item.item_id) ?? i }));
    this.sql.exec("DELETE FROM queue_items");
    if (!rows.length) return;
    this.sql.exec(
      `INSERT INTO queue_items (item_id, track_id, title, artist, duration_ms, creator_username, cover_url, available, added_at, play_rank, original_rank)
       SELECT value ->> 'item_id', value ->> 'track_id', value ->> 'title', value ->> 'artist', value ->> 'duration_ms',
              value ->> 'creator_username', value ->> 'cover_url', value ->> 'available', value ->> 'added_at',
              value ->> 'play_rank', value ->> 'original_rank'
         FROM json_each(?)`,
      JSON.stringify(rows),
    );
  }

  /** After a flush: which version Postgres now holds, and how many flushes in a row have failed. */
  recordFlush(flushedVersion: number | null, failures: number): void {
    this.ensureSchema();
    this.sql.exec(
      "UPDATE queue_meta SET flushed_version = COALESCE(?, flushed_version), flush_failures = ? WHERE id = 1",
      flushedVersion,
      failures,
    );
  }
}
