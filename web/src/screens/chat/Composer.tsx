import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../ui";
import { excerpt } from "./format";
import { isMuted, MAX_CONTENT_LENGTH, senderName } from "./protocol";
import { composerId, useRoomView } from "./room-context";

const draftKey = (roomId: string) => `veza.chat.draft.${roomId}`;

function readDraft(roomId: string): string {
  try {
    return localStorage.getItem(draftKey(roomId)) ?? "";
  } catch {
    return "";
  }
}

function keepDraft(roomId: string, text: string): void {
  try {
    if (text) localStorage.setItem(draftKey(roomId), text);
    else localStorage.removeItem(draftKey(roomId));
  } catch {
    /* storage full or disabled: the draft lives as long as the page */
  }
}

/**
 * Writing a message: Enter sends, Shift+Enter adds a line, Up (in an empty box) edits my last
 * message, Escape drops the reply. The draft is kept per room across reloads; typing tells the
 * room. Muted members and archived rooms get the reason instead of a box.
 */
export function Composer() {
  const { client, myId, roomName, replyTo, editing } = useRoomView();
  const [text, setText] = useState(() => readDraft(client.roomId));
  const ref = useRef<HTMLTextAreaElement>(null);
  const me = client.me.value;
  const config = client.config.value;
  const reply = replyTo.value;
  const id = composerId(client.roomId);

  // Grow with the text, up to about eight lines.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Empty: one line (a long placeholder must not make it grow).
    el.style.height = "auto";
    if (text) el.style.height = `${Math.min(el.scrollHeight + 2, 200)}px`;
  }, [text]);

  useEffect(() => () => client.stopTyping(), [client]);

  const blocked = config?.is_archived
    ? "This room is archived: it is read-only."
    : me && isMuted(me)
      ? me.muted_forever || me.muted_until === null
        ? "You are muted in this room."
        : `You are muted in this room until ${new Date(me.muted_until).toLocaleString()}.`
      : null;

  function change(value: string) {
    setText(value);
    keepDraft(client.roomId, value);
    if (value.trim()) client.typing();
    else client.stopTyping();
  }

  function submit() {
    const content = text.trim();
    if (!content || content.length > MAX_CONTENT_LENGTH) return;
    client.send(content, reply?.id ?? null);
    replyTo.value = null;
    change("");
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape" && reply) {
      e.preventDefault();
      replyTo.value = null;
    } else if (e.key === "ArrowUp" && text === "") {
      const last = [...client.messages.value].reverse().find((m) => m.sender.id === myId && !m.is_deleted);
      if (last) {
        e.preventDefault();
        editing.value = last.id;
      }
    }
  }

  if (blocked) {
    return (
      <p class="composer-blocked" role="status">
        {blocked}
      </p>
    );
  }

  const slow = config && config.slow_mode_seconds > 0 && !me?.permissions.manage_messages ? config.slow_mode_seconds : 0;
  const tooLong = text.length > MAX_CONTENT_LENGTH - 500;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {reply && (
        <div class="composer-reply">
          <p>
            Replying to <strong>{senderName(reply)}</strong>: <span class="muted">{excerpt(reply.content, 80)}</span>
          </p>
          <button type="button" class="msg-action" aria-label="Cancel the reply" onClick={() => (replyTo.value = null)}>
            ✕
          </button>
        </div>
      )}
      <div class="composer-row">
        <label for={id} class="visually-hidden">
          Message {roomName}
        </label>
        <textarea
          id={id}
          ref={ref}
          rows={1}
          value={text}
          maxLength={MAX_CONTENT_LENGTH}
          placeholder={`Message ${roomName}`}
          aria-describedby={`${id}-hint`}
          onInput={(e) => change(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={() => client.stopTyping()}
        />
        <Button type="submit" variant="primary" disabled={!text.trim()}>
          Send
        </Button>
      </div>
      <p id={`${id}-hint`} class="composer-hint">
        Enter sends · Shift+Enter adds a line{slow ? ` · Slow mode: one message every ${slow} s` : ""}
        {tooLong && ` · ${text.length} / ${MAX_CONTENT_LENGTH}`}
      </p>
    </form>
  );
}
