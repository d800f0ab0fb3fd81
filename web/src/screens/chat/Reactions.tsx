import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "./protocol";
import { useRoomView } from "./room-context";

/** The reactions offered by the picker, with the names screen readers say. */
export const REACTIONS: ReadonlyArray<readonly [emoji: string, name: string]> = [
  ["👍", "thumbs up"],
  ["❤️", "heart"],
  ["😂", "laughing"],
  ["🎉", "party"],
  ["🔥", "fire"],
  ["👀", "eyes"],
  ["🙏", "thanks"],
  ["🎵", "music"],
];

const nameOf = (emoji: string) => REACTIONS.find(([e]) => e === emoji)?.[1] ?? emoji;

/** A message's reactions: one toggle per emoji with its count; mine are pressed. */
export function ReactionChips({ message, tabbable }: { message: ChatMessage; tabbable: boolean }) {
  const { client, myId } = useRoomView();
  if (!message.reactions.length) return null;
  const names = new Map<string, string>();
  for (const m of client.messages.value) names.set(m.sender.id, m.sender.nickname ?? m.sender.username);
  return (
    <div class="msg-reactions" role="group" aria-label="Reactions">
      {message.reactions.map((r) => {
        const mine = r.user_ids.includes(myId);
        const who = r.user_ids.map((id) => (id === myId ? "you" : names.get(id))).filter(Boolean);
        const others = r.count - who.length;
        return (
          <button
            key={r.emoji}
            type="button"
            class={`reaction${mine ? " reaction-mine" : ""}`}
            aria-pressed={mine}
            aria-label={`${nameOf(r.emoji)}: ${r.count}`}
            title={`${[...who, ...(others > 0 ? [`${others} more`] : [])].join(", ")} reacted with ${r.emoji}`}
            tabIndex={tabbable ? 0 : -1}
            onClick={() => client.toggleReaction(message, r.emoji)}
          >
            <span aria-hidden="true">{r.emoji}</span> <span aria-hidden="true">{r.count}</span>
          </button>
        );
      })}
    </div>
  );
}

/** The row of reactions to choose from; Escape (or a choice) closes it and focus goes back. */
export function ReactionPicker({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  const { client, myId } = useRoomView();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, []);
  return (
    <div
      class="reaction-picker"
      role="group"
      aria-label="Choose a reaction"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {REACTIONS.map(([emoji, name]) => {
        const mine = message.reactions.some((r) => r.emoji === emoji && r.user_ids.includes(myId));
        return (
          <button
            key={emoji}
            type="button"
            class={`reaction-choice${mine ? " reaction-mine" : ""}`}
            aria-label={mine ? `Remove ${name}` : `React with ${name}`}
            onClick={() => {
              client.toggleReaction(message, emoji);
              onClose();
            }}
          >
            <span aria-hidden="true">{emoji}</span>
          </button>
        );
      })}
    </div>
  );
}
