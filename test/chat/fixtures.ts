import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { ChatMessage } from "../../durable-objects/chat-room/protocol";
import { signedInUser, type SignedInUser } from "../helpers/auth";
import { SocketFrames, type Frame } from "../helpers/frames";
import { sql, unique } from "../helpers/db";

/** Fixtures of the chat tests: rooms and members made in the database, real sockets through the Worker. */

export type { Frame };

/** A room owned by `owner` (its owner member row included), made directly in the database. */
export async function makeRoom(owner: { id: string }, options: { private?: boolean; slowMode?: number; archived?: boolean } = {}): Promise<string> {
  const [room] = await sql.query(
    `INSERT INTO rooms (name, room_type, is_private, creator_id, slow_mode_seconds, is_archived, archived_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN now() END) RETURNING id`,
    [`Room ${unique()}`, options.private ? "private" : "public", !!options.private, owner.id, options.slowMode ?? 0, !!options.archived],
  );
  await sql.query("INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'owner')", [room!.id, owner.id]);
  return room!.id as string;
}

export async function addMember(roomId: string, user: { id: string }, role = "member", extra: { muted_until?: string; is_muted?: boolean; is_banned?: boolean } = {}): Promise<void> {
  await sql.query(
    `INSERT INTO room_members (room_id, user_id, role, is_muted, muted_until, is_banned, banned_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN now() END)`,
    [roomId, user.id, role, extra.is_muted ?? false, extra.muted_until ?? null, extra.is_banned ?? false],
  );
}

/** A room with `count` signed-in members besides its owner (owner first). */
export async function roomWith(count: number, options: Parameters<typeof makeRoom>[1] = {}): Promise<{ roomId: string; users: SignedInUser[] }> {
  const users = [await signedInUser()];
  const roomId = await makeRoom(users[0]!, options);
  for (let i = 0; i < count; i++) {
    const user = await signedInUser();
    await addMember(roomId, user);
    users.push(user);
  }
  return { roomId, users };
}

export async function upgrade(roomId: string, headers: Record<string, string>, query = ""): Promise<Response> {
  return exports.default.fetch(`https://veza.test/v1/rooms/${roomId}/ws${query}`, { headers: { Upgrade: "websocket", ...headers } });
}

/** One connected client: its socket and every frame it received, in order. */
export class ChatClient extends SocketFrames {
  /** A frame that must be accepted. */
  async ok(frame: Record<string, unknown>): Promise<Frame> {
    const answer = await this.request(frame);
    expect(answer, `answer to ${String(frame.type)}: ${JSON.stringify(answer)}`).toMatchObject({ type: "ack" });
    return answer;
  }

  /** Sends a message; resolves to its ack ({message_id, seq}). */
  say(content: string, extra: Record<string, unknown> = {}): Promise<Frame> {
    return this.ok({ type: "send", content, ...extra });
  }

  /** Every timeline message this client received (new ones), in arrival order. */
  messages(): ChatMessage[] {
    return this.frames.filter((f) => f.type === "message").map((f) => f.message as ChatMessage);
  }

  /** The latest state of a message as this client heard it (message / message_updated / sync). */
  latest(id: string): ChatMessage | undefined {
    let found: ChatMessage | undefined;
    for (const f of this.frames) {
      if ((f.type === "message" || f.type === "message_updated") && f.message.id === id) found = f.message;
      if (f.type === "sync") found = (f.messages as ChatMessage[]).find((m) => m.id === id) ?? found;
    }
    return found;
  }

  /** Waits until this client heard message `id` in a state that satisfies `check`. */
  heard(id: string, check: (m: ChatMessage) => boolean = () => true, what = `message ${id}`): Promise<ChatMessage> {
    return this.until(() => {
      const m = this.latest(id);
      return m && check(m) ? m : undefined;
    }, what);
  }

  /** The highest event seq heard. */
  lastSeq(): number {
    let seq = 0;
    for (const f of this.frames) if (typeof f.seq === "number" && f.type !== "ack") seq = Math.max(seq, f.seq);
    return seq;
  }
}

/** `user` connected to the room, once it received `ready` and the first `sync`. */
export async function join(user: Pick<SignedInUser, "accessToken">, roomId: string, query = ""): Promise<ChatClient> {
  const res = await upgrade(roomId, { Authorization: `Bearer ${user.accessToken}` }, query);
  if (res.status !== 101 || !res.webSocket) throw new Error(`the upgrade was answered ${res.status}: ${await res.text()}`);
  const client = new ChatClient(res.webSocket);
  res.webSocket.accept();
  await client.until(() => client.frames.some((f) => f.type === "sync"), "ready and sync");
  return client;
}

/** The room's ChatRoom stub, as the Worker addresses it. */
export const roomStub = (roomId: string) => env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));

/** The room's messages as Postgres has them, by seq. */
export async function storedMessages(roomId: string) {
  return sql.query(
    `SELECT id, seq::int AS seq, sender_id, content, is_edited, edit_count, is_deleted, is_pinned, thread_count, reaction_count, reply_to_id, thread_root_id, mentions
       FROM messages WHERE room_id = $1 ORDER BY seq`,
    [roomId],
  );
}
