import type { QueueItem, QueueOp, QueueState } from "./types";

/**
 * The queue of a visitor who is not signed in: kept in this tab only, with the PlaybackQueue's rules
 * (durable-objects/playback-queue/state.ts) for what the player uses — so the bar behaves the same
 * signed in or not. Shuffle is not offered here.
 */

const RESTART_THRESHOLD_MS = 3000;

export const emptyState = (): QueueState => ({
  version: 0,
  items: [],
  current_item_id: null,
  position_ms: 0,
  position_updated_at: new Date().toISOString(),
  is_playing: false,
  shuffle: false,
  repeat: "off",
  volume: 100,
});

export function positionOf(state: QueueState, now = Date.now(), offsetMs = 0): number {
  if (!state.is_playing) return state.position_ms;
  const at = state.position_ms + Math.max(0, now + offsetMs - Date.parse(state.position_updated_at));
  const duration = state.items.find((i) => i.item_id === state.current_item_id)?.duration_ms;
  return duration ? Math.min(at, duration) : at;
}

export class LocalRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Applies `op` (its new items already made for add) or throws a LocalRefusal. */
export function applyLocal(state: QueueState, op: QueueOp, newItems: QueueItem[] = []): QueueState {
  const q: QueueState = { ...state, items: [...state.items] };
  const now = Date.now();
  const at = (ms: number, playing = q.is_playing) => {
    q.position_ms = Math.max(0, Math.round(ms));
    q.position_updated_at = new Date(now).toISOString();
    q.is_playing = playing;
  };
  const currentIndex = () => q.items.findIndex((i) => i.item_id === q.current_item_id);
  const moveTo = (item: QueueItem | undefined) => {
    q.current_item_id = item?.item_id ?? null;
    at(0, item ? q.is_playing : false);
  };
  const nextFrom = (from: number, wrap: boolean) =>
    q.items.slice(from + 1).find((i) => i.available) ?? (wrap ? q.items.slice(0, Math.max(0, from + 1)).find((i) => i.available) : undefined);

  switch (op.type) {
    case "add": {
      const index = op.position === undefined ? q.items.length : op.position === "next" ? currentIndex() + 1 : Math.min(op.position, q.items.length);
      q.items.splice(index, 0, ...newItems);
      if (!q.current_item_id && newItems.length) moveTo(newItems[0]);
      break;
    }
    case "remove": {
      const index = q.items.findIndex((i) => i.item_id === op.item_id);
      if (index < 0) throw new LocalRefusal("item_not_found", "This item is not in the queue.");
      const wasCurrent = op.item_id === q.current_item_id;
      q.items.splice(index, 1);
      if (wasCurrent) moveTo(nextFrom(index - 1, q.repeat === "queue"));
      break;
    }
    case "move": {
      const index = q.items.findIndex((i) => i.item_id === op.item_id);
      if (index < 0) throw new LocalRefusal("item_not_found", "This item is not in the queue.");
      const [item] = q.items.splice(index, 1);
      q.items.splice(Math.min(op.position, q.items.length), 0, item!);
      break;
    }
    case "clear":
      q.items = [];
      moveTo(undefined);
      break;
    case "play": {
      const item = op.item_id ? q.items.find((i) => i.item_id === op.item_id) : undefined;
      if (op.item_id && !item) throw new LocalRefusal("item_not_found", "This item is not in the queue.");
      if (item) {
        q.current_item_id = item.item_id;
        at(0, true);
      } else if (currentIndex() < 0) {
        const first = nextFrom(-1, false);
        if (!first) throw new LocalRefusal("nothing_to_play", "The queue has nothing to play.");
        q.current_item_id = first.item_id;
        at(0, true);
      } else at(positionOf(state, now), true);
      break;
    }
    case "pause":
      at(positionOf(state, now), false);
      break;
    case "seek":
      if (currentIndex() < 0) throw new LocalRefusal("nothing_to_play", "Nothing is playing: there is nothing to seek in.");
      at(op.position_ms);
      break;
    case "next":
    case "ended": {
      if (!q.items.length) throw new LocalRefusal("nothing_to_play", "The queue has nothing to play.");
      if (op.type === "ended" && q.repeat === "track" && currentIndex() >= 0) {
        at(0);
        break;
      }
      const next = nextFrom(currentIndex(), q.repeat === "queue");
      if (next) moveTo(next);
      else at(0, false);
      break;
    }
    case "previous": {
      const index = currentIndex();
      if (index < 0) moveTo(nextFrom(-1, false));
      else if (positionOf(state, now) > RESTART_THRESHOLD_MS) at(0);
      else {
        const before = [...q.items.slice(0, index)].reverse().find((i) => i.available);
        const previous = before ?? (q.repeat === "queue" ? [...q.items.slice(index + 1)].reverse().find((i) => i.available) : undefined);
        if (previous) moveTo(previous);
        else at(0);
      }
      break;
    }
    case "repeat":
      q.repeat = op.mode;
      break;
    case "shuffle":
      throw new LocalRefusal("unavailable", "Sign in to shuffle your queue.");
  }
  q.version = state.version + 1;
  return q;
}
