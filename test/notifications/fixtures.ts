import { insert, sql } from "../helpers/db";

export interface NotificationFixture {
  actorId?: string | null;
  type?: "follow" | "like" | "comment" | "message" | "mention" | "system";
  createdAt?: string;
  read?: boolean;
  deleted?: boolean;
  entity?: { type: string; id: string };
  title?: string;
  body?: string;
  data?: Record<string, unknown>;
}

/** A notification row for `userId`, written directly (the inbox API never creates one). */
export async function notify(userId: string, options: NotificationFixture = {}): Promise<string> {
  const row = await insert(
    "notifications",
    {
      user_id: userId,
      actor_id: options.actorId ?? null,
      type: options.type ?? "like",
      entity_type: options.entity?.type ?? null,
      entity_id: options.entity?.id ?? null,
      title: options.title ?? null,
      body: options.body ?? null,
      data: JSON.stringify(options.data ?? {}),
      is_read: options.read ?? false,
      read_at: options.read ? new Date().toISOString() : null,
      created_at: options.createdAt ?? new Date().toISOString(),
      deleted_at: options.deleted ? new Date().toISOString() : null,
    },
    "id",
  );
  return row.id as string;
}

/** `blocker` blocks `blocked`, straight in the table. */
export const block = (blockerId: string, blockedId: string) => sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blockerId, blockedId]);

/** An ISO time `seconds` ago: notifications ordered by when they were made. */
export const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

export const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
