import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { errorMessage } from "../../api";
import { Button, Spinner } from "../../ui";
import { dayKey, dayLabel, excerpt } from "./format";
import { MessageItem } from "./MessageItem";
import type { ChatMessage } from "./protocol";
import type { PendingSend } from "./room-client";
import { useRoomView } from "./room-context";

/** Messages of one sender closer together than this share one header. */
const GROUP_MS = 5 * 60_000;
/** Closer to the bottom than this counts as "at the bottom": new messages keep it in view. */
const STICK_PX = 80;

/**
 * The room's timeline, a live log (role="log", aria-live="polite", new messages announced, not every
 * count that changes): history pages load as the top
 * comes into view, new messages keep the view at the bottom unless one scrolled up (then a button
 * says how many arrived), and what is seen moves the read marker. Keyboard: one Tab stop; the arrow
 * keys, Home and End move between messages; Tab then reaches the focused message's actions.
 */
export function MessageList({ welcome }: { welcome: string | null }) {
  const { client, myId } = useRoomView();
  const messages = client.messages.value;
  const pending = client.pending.value;
  const history = client.history.value;
  const unreadAtOpen = client.unreadAtOpen.value;
  const ref = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const before = useRef<{ firstId: string | undefined; height: number; scrollTop: number }>({ firstId: undefined, height: 0, scrollTop: 0 });
  const [unseen, setUnseen] = useState(0);
  const [activeId, setActiveId] = useState<string | null>(null);
  const lastId = messages[messages.length - 1]?.id;
  const active = activeId && messages.some((m) => m.id === activeId) ? activeId : lastId;
  // The "new messages" line: before the first message of others that was unread when the room opened
  // (not before those that arrived while it was open).
  const firstNewId = unreadAtOpen && messages.find((m) => m.seq > unreadAtOpen.read && m.seq <= unreadAtOpen.latest && m.sender.id !== myId)?.id;

  /** The newest message whose top is on screen moves the read marker (only while the page is seen). */
  const checkSeen = useCallback(() => {
    const list = ref.current;
    if (!list || document.visibilityState !== "visible") return;
    const bottom = list.getBoundingClientRect().bottom;
    const items = list.querySelectorAll<HTMLElement>("article[data-seq]");
    for (let i = items.length - 1; i >= 0; i--) {
      if (items[i]!.getBoundingClientRect().top < bottom) {
        client.markSeen(Number(items[i]!.dataset.seq));
        return;
      }
    }
  }, [client]);

  // After each change: keep the reading position when older messages were put above, follow the
  // bottom when already there, or count what arrived below.
  useLayoutEffect(() => {
    const list = ref.current;
    if (!list) return;
    const prev = before.current;
    const firstId = messages[0]?.id;
    if (prev.firstId && firstId !== prev.firstId && list.scrollHeight > prev.height && !atBottom.current) {
      list.scrollTop = prev.scrollTop + (list.scrollHeight - prev.height);
    } else if (atBottom.current) {
      list.scrollTop = list.scrollHeight;
    } else {
      const newer = messages.filter((m) => m.seq > client.readSeq.value && m.sender.id !== myId && !m.is_deleted).length;
      setUnseen(newer);
    }
    before.current = { firstId, height: list.scrollHeight, scrollTop: list.scrollTop };
    checkSeen();
  }, [messages, pending, checkSeen, client, myId]);

  useEffect(() => {
    const onVisible = () => checkSeen();
    document.addEventListener("visibilitychange", onVisible);
    addEventListener("focus", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      removeEventListener("focus", onVisible);
    };
  }, [checkSeen]);

  // Older messages load as the top of the list comes into view.
  useEffect(() => {
    const sentinel = top.current;
    const list = ref.current;
    if (!sentinel || !list || history !== "idle") return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void client.loadOlder(), { root: list });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [client, history]);

  function onScroll() {
    const list = ref.current!;
    atBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < STICK_PX;
    before.current = { ...before.current, height: list.scrollHeight, scrollTop: list.scrollTop };
    if (atBottom.current) setUnseen(0);
    checkSeen();
  }

  function toBottom() {
    const list = ref.current!;
    list.scrollTop = list.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  }

  function onKeyDown(e: KeyboardEvent) {
    const target = e.target as HTMLElement;
    if (target.tagName !== "ARTICLE") return;
    const items = [...ref.current!.querySelectorAll<HTMLElement>("article.msg[data-id]")];
    const at = items.indexOf(target);
    const to = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: items.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = items[Math.max(0, Math.min(items.length - 1, to))];
    if (!next) return;
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  return (
    <div class="chat-log-wrap">
      <div
        class="chat-log"
        ref={ref}
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Messages"
        aria-busy={history === "loading" || undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onFocusIn={(e) => {
          const article = (e.target as HTMLElement).closest<HTMLElement>("article.msg[data-id]");
          if (article?.dataset.id) setActiveId(article.dataset.id);
        }}
      >
        <div ref={top} class="chat-history">
          {history === "done" ? (
            <p class="muted">{welcome ? `This is the beginning of the room. ${welcome}` : "This is the beginning of the room."}</p>
          ) : history === "loading" ? (
            <Spinner label="Loading earlier messages…" />
          ) : history === "error" ? (
            <p class="form-error">
              {errorMessage(client.historyError.value)} <Button onClick={() => void client.loadOlder()}>Try again</Button>
            </p>
          ) : (
            <Button variant="ghost" onClick={() => void client.loadOlder()}>
              Load earlier messages
            </Button>
          )}
        </div>
        {messages.map((m, i) => {
          const prev = messages[i - 1];
          const newDay = !prev || dayKey(prev.created_at) !== dayKey(m.created_at);
          const firstNew = m.id === firstNewId;
          const compact = !newDay && !firstNew && !m.reply_to_id && !!prev && prev.sender.id === m.sender.id && Date.parse(m.created_at) - Date.parse(prev.created_at) < GROUP_MS;
          return (
            <div key={m.id} class="chat-entry">
              {newDay && (
                <p class="chat-day" role="separator">
                  {dayLabel(m.created_at)}
                </p>
              )}
              {firstNew && (
                <p class="chat-new" role="separator">
                  New messages
                </p>
              )}
              <MessageItem message={m} compact={compact} active={m.id === active} />
            </div>
          );
        })}
        {pending.map((p) => (
          <PendingItem key={p.nonce} pending={p} />
        ))}
      </div>
      {unseen > 0 && (
        <Button class="chat-unseen" variant="primary" onClick={toBottom}>
          {unseen} new {unseen === 1 ? "message" : "messages"} ↓
        </Button>
      )}
    </div>
  );
}

/** A message of mine on its way, waiting out slow mode, or refused (with the reason, Retry and Discard). */
function PendingItem({ pending: p }: { pending: PendingSend }) {
  const { client } = useRoomView();
  const parent: ChatMessage | undefined = p.reply_to_id ? client.message(p.reply_to_id) : undefined;
  return (
    <article class={`msg msg-mine msg-pending${p.status === "failed" ? " msg-failed" : ""}`} aria-label="Your message">
      {parent && <p class="msg-quote">{excerpt(parent.content)}</p>}
      <p class="msg-text">{p.content}</p>
      {p.status === "sending" ? (
        <p class="msg-status">Sending…</p>
      ) : p.status === "waiting" ? (
        <div class="msg-status">
          {p.error} <Countdown until={p.retry_at ?? Date.now()} />{" "}
          <Button class="btn-small" variant="ghost" onClick={() => client.discard(p.nonce)}>
            Discard
          </Button>
        </div>
      ) : (
        <div class="msg-status" role="alert">
          <span class="field-error">Not sent: {p.error}</span>{" "}
          <Button class="btn-small" onClick={() => client.retry(p.nonce)}>
            Retry
          </Button>{" "}
          <Button class="btn-small" variant="ghost" onClick={() => client.discard(p.nonce)}>
            Discard
          </Button>
        </div>
      )}
    </article>
  );
}

/** "Sending in 4 s", counting down each second. */
function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>Sending in {Math.max(0, Math.ceil((until - now) / 1000))} s.</span>;
}
