import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, errorMessage } from "../../api";
import { paths } from "../../paths";
import { me } from "../../session";
import { Button, Loading, useApi, usePageTitle } from "../../ui";
import { Composer } from "./Composer";
import { JoinControls } from "./JoinControls";
import { MessageList } from "./MessageList";
import { OnlineList, TypingIndicator } from "./Presence";
import { RoomClient } from "./room-client";
import { createRoomView, RoomContext, useRoomView } from "./room-context";
import type { Room } from "./types";
import "./chat.css";

/** `/chat/:id`: a room — live when I am a member, else what it is and how to join it. */
export default function RoomScreen({ id }: { id: string }) {
  const room = useApi<Room>(`/v1/rooms/${encodeURIComponent(id)}`);
  usePageTitle(room.data?.name ?? "Chat");
  if (room.loading && !room.data) return <Loading label="Opening the room…" />;
  if (room.error || !room.data) {
    const missing = room.error instanceof ApiError && (room.error.status === 404 || room.error.status === 422);
    return (
      <section aria-labelledby="room-error">
        <h1 id="room-error">{missing ? "Room not found" : "This room cannot be opened"}</h1>
        <p>{missing ? "It does not exist, was deleted, or is private." : errorMessage(room.error)}</p>
        <p>
          {!missing && <Button onClick={room.reload}>Try again</Button>} <a href={paths.chat}>All rooms</a>
        </p>
      </section>
    );
  }
  if (!room.data.my_membership) return <NotMember room={room.data} onJoined={room.reload} />;
  return <LiveRoom key={room.data.id} room={room.data} />;
}

function NotMember({ room, onJoined }: { room: Room; onJoined: () => void }) {
  return (
    <section class="chat-join card" aria-labelledby="join-title">
      <p>
        <a href={paths.chat}>← All rooms</a>
      </p>
      <h1 id="join-title">{room.name ?? "A room"}</h1>
      {room.topic && <p class="chat-topic">{room.topic}</p>}
      {room.description && <p>{room.description}</p>}
      <p class="muted">
        {room.member_count} {room.member_count === 1 ? "member" : "members"}
        {room.is_archived ? " · archived (read-only)" : ""}
      </p>
      {room.rules && (
        <details>
          <summary>Rules</summary>
          <p class="post-content">{room.rules}</p>
        </details>
      )}
      {room.is_archived ? <p>This room is archived: it takes no new members.</p> : <JoinControls room={room} onJoined={onJoined} label="Join the room" />}
    </section>
  );
}

function LiveRoom({ room }: { room: Room }) {
  const myId = me.value!.id;
  const view = useMemo(() => createRoomView(new RoomClient(room.id, myId), myId, room.name ?? "the room"), [room.id, myId]);
  const { client } = view;
  useEffect(() => {
    client.start();
    return () => client.stop();
  }, [client]);
  const frame = useRef<HTMLDivElement>(null);
  useFillViewport(frame);
  const [peopleOpen, setPeopleOpen] = useState(false);
  const ended = client.socket.ended.value;

  return (
    <RoomContext.Provider value={view}>
      <div class="chat-room" ref={frame}>
        <header class="chat-room-header">
          <a href={paths.chat} class="chat-back">
            <span aria-hidden="true">←</span> <span class="visually-hidden">All rooms</span>
          </a>
          <div class="chat-room-title">
            <h1 id="room-title">{room.name ?? "Room"}</h1>
            {room.topic && <p class="chat-topic">{room.topic}</p>}
          </div>
          <ConnectionStatus />
          <button type="button" class="btn btn-ghost chat-people-toggle" aria-expanded={peopleOpen} aria-controls="room-people" onClick={() => setPeopleOpen((o) => !o)}>
            {client.online.value.length} online
          </button>
        </header>
        {ended ? (
          <div class="form-error" role="alert">
            {ended.message} <a href={paths.chat}>Back to your rooms</a>
          </div>
        ) : null}
        <div class={`chat-room-body${peopleOpen ? " chat-people-open" : ""}`}>
          <div class="chat-main">
            <MessageList welcome={room.welcome_message} />
            <TypingIndicator />
            <Notice />
            {!ended && <Composer />}
          </div>
          <OnlineList id="room-people" />
        </div>
      </div>
    </RoomContext.Provider>
  );
}

/** Connecting, reconnecting, offline: said in the header (and to screen readers) until the room is back. */
function ConnectionStatus() {
  const { client } = useRoomView();
  const state = client.socket.state.value;
  const text = { connecting: "Connecting…", reconnecting: "Reconnecting…", offline: "Offline: waiting for the network…", open: "", ended: "" }[state];
  return (
    <p class={`chat-status${text ? " chat-status-busy" : ""}`} role="status">
      {text}
    </p>
  );
}

/** The last refused action without a place of its own (a reaction, a pin, a room-wide error). */
function Notice() {
  const { client } = useRoomView();
  const notice = client.notice.value;
  if (!notice) return null;
  return (
    <div class="chat-notice form-error" role="alert">
      {notice}{" "}
      <button type="button" class="msg-action" aria-label="Dismiss" onClick={() => (client.notice.value = null)}>
        ✕
      </button>
    </div>
  );
}

/** The room fills the window below its own top, above the player bar, and follows resizes (phone keyboards too). */
function useFillViewport(ref: { current: HTMLElement | null }) {
  useEffect(() => {
    const fit = () => {
      const el = ref.current;
      if (!el) return;
      const viewport = window.visualViewport?.height ?? innerHeight;
      const player = document.querySelector<HTMLElement>(".player-bar")?.offsetHeight ?? 0;
      const top = el.getBoundingClientRect().top + scrollY;
      el.style.height = `${Math.max(320, viewport - top - player - 12)}px`;
    };
    fit();
    const observer = new ResizeObserver(fit);
    const bar = document.querySelector(".player-bar");
    if (bar) observer.observe(bar);
    addEventListener("resize", fit);
    window.visualViewport?.addEventListener("resize", fit);
    return () => {
      observer.disconnect();
      removeEventListener("resize", fit);
      window.visualViewport?.removeEventListener("resize", fit);
    };
  }, [ref]);
}
