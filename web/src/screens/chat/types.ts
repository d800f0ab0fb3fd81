/** The REST shapes the chat screens use, from the API's own zod schemas (type-only). */
import type { z } from "zod";
import type { CreateRoomSchema, JoinSchema, MyRoomListSchema, MyRoomSchema, RoomByCodeSchema, RoomListSchema } from "../../../../src/domains/rooms/schemas";
import type { ChatMessage } from "./protocol";

export type { Room } from "../../../../src/domains/rooms/schemas";
export type MyRoom = z.infer<typeof MyRoomSchema>;
export type MyRoomList = z.infer<typeof MyRoomListSchema>;
export type RoomList = z.infer<typeof RoomListSchema>;
export type RoomByCode = z.infer<typeof RoomByCodeSchema>;
export type CreateRoomBody = z.input<typeof CreateRoomSchema>;
export type JoinBody = z.input<typeof JoinSchema>;

/** GET /v1/rooms/:id/messages (src/domains/chat/schemas.ts MessagePageSchema: mirrored, see protocol.ts). */
export interface MessagePage {
  items: ChatMessage[];
  next_before_seq: number | null;
}
