import { signal, type Signal } from "@preact/signals";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ChatMessage } from "./protocol";
import type { RoomClient } from "./room-client";

/** What the parts of an open room share: the live client and the screen's own state. */
export interface RoomView {
  client: RoomClient;
  myId: string;
  roomName: string;
  /** The message the composer answers (shown quoted above it). */
  replyTo: Signal<ChatMessage | null>;
  /** The message being edited in place. */
  editing: Signal<string | null>;
  /** Focus the composer (after choosing Reply, or cancelling an edit). */
  focusComposer: () => void;
}

export function createRoomView(client: RoomClient, myId: string, roomName: string): RoomView {
  const view: RoomView = {
    client,
    myId,
    roomName,
    replyTo: signal(null),
    editing: signal(null),
    focusComposer: () => document.getElementById(composerId(client.roomId))?.focus(),
  };
  return view;
}

export const composerId = (roomId: string) => `composer-${roomId}`;

export const RoomContext = createContext<RoomView | null>(null);

export function useRoomView(): RoomView {
  const view = useContext(RoomContext);
  if (!view) throw new Error("useRoomView outside an open room");
  return view;
}
