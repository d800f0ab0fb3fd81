import type { DmDeletedFrame, DmFrame, DmReadFrame } from "../../../durable-objects/user-inbox/protocol";
import type { MarkedRead } from "./mark-read";
import type { SentMessage } from "./send-message";

/** The inbox frames of direct messages (durable-objects/user-inbox/protocol.ts), per recipient. */

/** A stored message: to its recipient, and to the sender's other devices; `user` is each one's other side. */
export const sentFrames = ({ message, sender, recipient }: SentMessage) => [
  { userId: recipient.id, frame: { type: "dm", message, user: sender } satisfies DmFrame },
  { userId: sender.id, frame: { type: "dm", message, user: recipient } satisfies DmFrame },
];

/** A read: to the reader's other devices, and to the sender unless one blocked the other. */
export function readFrames(readerId: string, { receipt, senderId, blocked }: MarkedRead) {
  if (!receipt.marked || !receipt.up_to_id) return [];
  const frame: DmReadFrame = { type: "dm_read", reader_id: readerId, sender_id: senderId, up_to_id: receipt.up_to_id, read_at: receipt.read_at, count: receipt.marked };
  return blocked ? [{ userId: readerId, frame }] : [{ userId: readerId, frame }, { userId: senderId, frame }];
}

/** A delete for me: to my other devices only (the other side's copy is untouched). */
export const deletedFrames = (userId: string, messageId: string) => [{ userId, frame: { type: "dm_deleted", message_id: messageId } satisfies DmDeletedFrame }];
