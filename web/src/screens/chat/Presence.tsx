import type { PresenceStatus } from "./protocol";
import { useRoomView } from "./room-context";
import { typingText } from "./timeline";

const STATUS_TEXT: Record<PresenceStatus, string> = { online: "online", away: "away", busy: "busy", offline: "offline" };

/** Who is in the room right now, with their status (online, away, busy). */
export function OnlineList({ id }: { id: string }) {
  const { client, myId } = useRoomView();
  const online = client.online.value;
  return (
    <section class="chat-people" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="chat-people-title">
        Online <span class="muted">({online.length})</span>
      </h2>
      {online.length === 0 ? (
        <p class="muted">Nobody else is here right now.</p>
      ) : (
        <ul>
          {online.map((m) => (
            <li key={m.user_id}>
              <span class={`presence-dot presence-${m.status}`} aria-hidden="true" />
              <span class="chat-person">{m.username}</span>
              {m.user_id === myId && <span class="muted chat-person-note">(you)</span>}
              <span class={m.status === "online" ? "visually-hidden" : "muted chat-person-note"}> {STATUS_TEXT[m.status]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "nadia is typing…", announced politely; the line keeps its height so nothing jumps. */
export function TypingIndicator() {
  const { client } = useRoomView();
  const text = typingText(client.typists.value);
  return (
    <p class="chat-typing" aria-live="polite" aria-atomic="true">
      {text}
    </p>
  );
}
