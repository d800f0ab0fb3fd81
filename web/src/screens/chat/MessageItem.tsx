import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../ui";
import { clockTime, excerpt, fullTime } from "./format";
import { MAX_CONTENT_LENGTH, senderName, type ChatMessage } from "./protocol";
import { useRoomView } from "./room-context";
import { ReactionChips, ReactionPicker } from "./Reactions";

interface Props {
  message: ChatMessage;
  /** Follows a message of the same sender closely: no header shown (still read out). */
  compact: boolean;
  /** The message keyboard focus rests on: it and its actions are in the tab order. */
  active: boolean;
}

/**
 * One message: who and when, the message it answers (quoted), its text (or the edit form), its
 * reactions and its actions — react, reply, and for my own edit and delete (delete and pin too for
 * those who manage messages). Actions are real buttons, reachable with Tab once the message has focus.
 */
export function MessageItem({ message: m, compact, active }: Props) {
  const { client, myId, replyTo, editing, focusComposer } = useRoomView();
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const mine = m.sender.id === myId;
  const manage = client.me.value?.permissions.manage_messages ?? false;
  const isEditing = editing.value === m.id;
  const tab = active ? 0 : -1;
  const name = senderName(m);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await client.remove(m.id);
      setConfirming(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article
      id={`msg-${m.id}`}
      class={`msg${compact ? " msg-compact" : ""}${mine ? " msg-mine" : ""}${m.is_deleted ? " msg-deleted" : ""}`}
      data-seq={m.seq}
      data-id={m.id}
      tabIndex={tab}
      aria-labelledby={`msg-${m.id}-by msg-${m.id}-text`}
    >
      {m.reply_to_id && <ReplyQuote id={m.reply_to_id} tabbable={active} />}
      <p class={`msg-head${compact ? " visually-hidden" : ""}`}>
        <span class="msg-author" id={`msg-${m.id}-by`}>
          {name}
        </span>{" "}
        <time dateTime={m.created_at} title={fullTime(m.created_at)} class="msg-time">
          {clockTime(m.created_at)}
        </time>
        {m.is_pinned && <span class="msg-tag"> · Pinned</span>}
      </p>
      {isEditing ? (
        <EditForm message={m} />
      ) : (
        <p class="msg-text" id={`msg-${m.id}-text`}>
          {m.is_deleted ? <em>This message was deleted.</em> : m.content}
          {m.is_edited && !m.is_deleted && (
            <span class="msg-edited" title={m.edited_at ? `Edited ${fullTime(m.edited_at)}` : undefined}>
              {" "}
              (edited)
            </span>
          )}
        </p>
      )}
      <ReactionChips message={m} tabbable={active} />
      {!m.is_deleted && !isEditing && (
        <div class={`msg-actions${picking || confirming ? " msg-actions-open" : ""}`} role="group" aria-label={`Actions on ${name}'s message`}>
          {confirming ? (
            <>
              <span class="msg-confirm">Delete this message?</span>
              <Button variant="danger" class="btn-small" busy={busy} onClick={remove}>
                Delete
              </Button>
              <Button variant="ghost" class="btn-small" onClick={() => setConfirming(false)} autoFocus>
                Cancel
              </Button>
            </>
          ) : (
            <>
              <button type="button" class="msg-action" tabIndex={tab} ref={reactButton} aria-expanded={picking} onClick={() => setPicking((p) => !p)}>
                React
              </button>
              <button
                type="button"
                class="msg-action"
                tabIndex={tab}
                onClick={() => {
                  replyTo.value = m;
                  focusComposer();
                }}
              >
                Reply
              </button>
              {mine && (
                <button type="button" class="msg-action" tabIndex={tab} onClick={() => (editing.value = m.id)}>
                  Edit
                </button>
              )}
              {(mine || manage) && (
                <button type="button" class="msg-action" tabIndex={tab} onClick={() => setConfirming(true)}>
                  Delete
                </button>
              )}
              {manage && (
                <button type="button" class="msg-action" tabIndex={tab} onClick={() => client.togglePin(m)}>
                  {m.is_pinned ? "Unpin" : "Pin"}
                </button>
              )}
            </>
          )}
        </div>
      )}
      {picking && (
        <ReactionPicker
          message={m}
          onClose={() => {
            setPicking(false);
            reactButton.current?.focus();
          }}
        />
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

/** The message a reply answers, quoted; it links to the original when it is on screen. */
function ReplyQuote({ id, tabbable }: { id: string; tabbable: boolean }) {
  const { client } = useRoomView();
  const parent = client.messages.value.find((x) => x.id === id);
  if (!parent) return <p class="msg-quote msg-quote-missing">Reply to an earlier message</p>;
  return (
    <a
      class="msg-quote"
      href={`#msg-${id}`}
      tabIndex={tabbable ? 0 : -1}
      onClick={(e) => {
        e.preventDefault();
        const target = document.getElementById(`msg-${id}`);
        target?.scrollIntoView({ block: "center" });
        target?.focus({ preventScroll: true });
      }}
    >
      <span class="visually-hidden">In reply to </span>
      <span class="msg-quote-author">{senderName(parent)}</span>{" "}
      <span class="msg-quote-text">{parent.is_deleted ? "This message was deleted." : excerpt(parent.content)}</span>
    </a>
  );
}

/** Editing my message in place: Enter saves, Shift+Enter adds a line, Escape cancels. */
function EditForm({ message }: { message: ChatMessage }) {
  const { client, editing, focusComposer } = useRoomView();
  const [text, setText] = useState(message.content);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  function close() {
    editing.value = null;
    focusComposer();
  }

  async function save() {
    const content = text.trim();
    if (!content) return setError("A message cannot be empty: delete it instead.");
    if (content === message.content) return close();
    setBusy(true);
    setError(null);
    try {
      await client.edit(message.id, content);
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <form
      class="msg-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label class="visually-hidden" for={`edit-${message.id}`}>
        Edit your message
      </label>
      <textarea
        id={`edit-${message.id}`}
        ref={ref}
        value={text}
        maxLength={MAX_CONTENT_LENGTH}
        rows={Math.min(8, text.split("\n").length + 1)}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            close();
          } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
      />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="msg-edit-actions">
        <span class="muted">Enter saves · Escape cancels</span>
        <Button variant="ghost" class="btn-small" onClick={close}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" class="btn-small" busy={busy}>
          Save
        </Button>
      </div>
    </form>
  );
}
