import {
  MAX_QUEUE_ITEMS,
  RESTART_THRESHOLD_MS,
  type Operation,
  type Playback,
  type QueueItem,
  type QueueState,
  type RefusalCode,
  type RepeatMode,
} from "./protocol";

/**
 * The queue's rules as pure functions: `applyOperation(queue, op, context)` is the one place where
 * a queue changes, for WebSocket and REST alike, so both obey the same semantics and the object
 * only has to read, apply, write and broadcast.
 */

/** The queue as stored: the public state plus the original order that shuffle off restores. */
export interface QueueData {
  version: number;
  /** In play order. */
  items: QueueItem[];
  /** Item ids in their unshuffled order. Equal to the play order whenever shuffle is off. */
  original: string[];
  current_item_id: string | null;
  position_ms: number;
  /** Milliseconds since the epoch. */
  position_updated_at: number;
  is_playing: boolean;
  shuffle: boolean;
  repeat: RepeatMode;
  volume: number;
}

export const emptyQueue = (now: number): QueueData => ({
  version: 0,
  items: [],
  original: [],
  current_item_id: null,
  position_ms: 0,
  position_updated_at: now,
  is_playing: false,
  shuffle: false,
  repeat: "off",
  volume: 100,
});

export interface ApplyContext {
  now: number;
  /** New items (fresh ids, metadata captured) for add and replace, in the order asked for. */
  newItems?: QueueItem[];
  /** [0, 1), for shuffling; injectable so tests of the rules can be exact. */
  random?: () => number;
}

export type Applied =
  | { ok: true; queue: QueueData; broadcast: "state" | "playback"; listChanged: boolean }
  | { ok: false; code: RefusalCode; message: string };

const refuse = (code: RefusalCode, message: string): Applied => ({ ok: false, code, message });

/** Where the current track is now: a playing track advances with the clock, capped at its duration. */
export function currentPosition(queue: QueueData, now: number): number {
  if (!queue.is_playing) return queue.position_ms;
  const at = queue.position_ms + Math.max(0, now - queue.position_updated_at);
  const duration = currentItem(queue)?.duration_ms;
  return duration ? Math.min(at, duration) : at;
}

const currentItem = (queue: QueueData) => queue.items.find((i) => i.item_id === queue.current_item_id);
const indexOfCurrent = (queue: QueueData) => queue.items.findIndex((i) => i.item_id === queue.current_item_id);

/** The next available item after `from` (-1: from the start), wrapping once when asked. */
function nextAvailable(items: QueueItem[], from: number, wrap: boolean): QueueItem | undefined {
  for (let i = from + 1; i < items.length; i++) if (items[i]!.available) return items[i];
  if (wrap) for (let i = 0; i <= Math.min(from, items.length - 1); i++) if (items[i]!.available) return items[i];
  return undefined;
}

function previousAvailable(items: QueueItem[], from: number, wrap: boolean): QueueItem | undefined {
  for (let i = from - 1; i >= 0; i--) if (items[i]!.available) return items[i];
  if (wrap) for (let i = items.length - 1; i >= Math.max(from, 0); i--) if (items[i]!.available) return items[i];
  return undefined;
}

function shuffled<T>(xs: T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const defaultRandom = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/** Shuffle on: the upcoming items (after the current one; all when none) in a random order. */
function shuffleUpcoming(queue: QueueData, random: () => number): QueueItem[] {
  const split = indexOfCurrent(queue) + 1;
  return [...queue.items.slice(0, split), ...shuffled(queue.items.slice(split), random)];
}

/** Shuffle off: back to the original order, the current item staying current. */
function unshuffle(queue: QueueData): QueueItem[] {
  const rank = new Map(queue.original.map((id, i) => [id, i]));
  return [...queue.items].sort((a, b) => (rank.get(a.item_id) ?? 0) - (rank.get(b.item_id) ?? 0));
}

/**
 * Applies `op` to `queue`: the new queue (version + 1) or why it was refused (nothing changes).
 * A given `version` other than the current one is refused as stale, whatever the operation.
 */
export function applyOperation(queue: QueueData, op: Operation, context: ApplyContext): Applied {
  if (op.version !== undefined && op.version !== queue.version) {
    return refuse("stale", `The queue is at version ${queue.version}, not ${op.version}.`);
  }
  const { now } = context;
  const random = context.random ?? defaultRandom;
  const q: QueueData = { ...queue, items: [...queue.items], original: [...queue.original] };
  const at = (ms: number, playing = q.is_playing) => {
    q.position_ms = ms;
    q.position_updated_at = now;
    q.is_playing = playing;
  };
  const moveTo = (item: QueueItem | undefined) => {
    q.current_item_id = item?.item_id ?? null;
    at(0, item ? q.is_playing : false);
  };
  let broadcast: "state" | "playback" = "playback";
  let listChanged = false;

  switch (op.type) {
    case "add": {
      const added = context.newItems ?? [];
      if (q.items.length + added.length > MAX_QUEUE_ITEMS) {
        return refuse("queue_full", `A queue holds at most ${MAX_QUEUE_ITEMS} items; it has ${q.items.length}.`);
      }
      const index = op.position === undefined ? q.items.length : op.position === "next" ? indexOfCurrent(q) + 1 : op.position;
      if (index > q.items.length) return refuse("invalid_position", `position must be between 0 and ${q.items.length}.`);
      const predecessor = index > 0 ? q.items[index - 1]!.item_id : null;
      q.items.splice(index, 0, ...added);
      // While shuffled, the unshuffled order gets the new items after the same predecessor (at
      // the end when added at the end), so shuffle off keeps them where they were put.
      const ids = added.map((i) => i.item_id);
      if (index === queue.items.length) q.original.push(...ids);
      else q.original.splice(predecessor ? q.original.indexOf(predecessor) + 1 : 0, 0, ...ids);
      if (!q.current_item_id && added.length) moveTo(added[0]);
      listChanged = true;
      break;
    }
    case "remove": {
      const index = q.items.findIndex((i) => i.item_id === op.item_id);
      if (index < 0) return refuse("item_not_found", "This item is not in the queue.");
      const wasCurrent = q.items[index]!.item_id === q.current_item_id;
      q.items.splice(index, 1);
      q.original = q.original.filter((id) => id !== op.item_id);
      // Removing the current item moves to the one that followed it.
      if (wasCurrent) moveTo(nextAvailable(q.items, index - 1, q.repeat === "queue"));
      listChanged = true;
      break;
    }
    case "move": {
      const index = q.items.findIndex((i) => i.item_id === op.item_id);
      if (index < 0) return refuse("item_not_found", "This item is not in the queue.");
      if (op.position >= q.items.length) return refuse("invalid_position", `position must be between 0 and ${q.items.length - 1}.`);
      const [item] = q.items.splice(index, 1);
      q.items.splice(op.position, 0, item!);
      listChanged = true;
      break;
    }
    case "clear":
      q.items = [];
      q.original = [];
      moveTo(undefined);
      listChanged = true;
      break;
    case "replace": {
      const items = context.newItems ?? [];
      const current = op.current_index === undefined ? (items.length ? 0 : null) : op.current_index;
      if (current !== null && current >= items.length) return refuse("invalid_position", `current_index must be below ${items.length}.`);
      q.items = items;
      q.original = items.map((i) => i.item_id);
      q.current_item_id = current === null ? null : items[current]!.item_id;
      at(current === null ? 0 : (op.position_ms ?? 0), current !== null && (op.is_playing ?? false));
      q.shuffle = op.shuffle ?? q.shuffle;
      q.repeat = op.repeat ?? q.repeat;
      q.volume = op.volume ?? q.volume;
      listChanged = true;
      break;
    }
    case "play": {
      if (op.item_id) {
        const item = q.items.find((i) => i.item_id === op.item_id);
        if (!item) return refuse("item_not_found", "This item is not in the queue.");
        if (!item.available) return refuse("unavailable", "This track is no longer available.");
        q.current_item_id = item.item_id;
        at(0, true);
      } else {
        if (!currentItem(q)) {
          const first = nextAvailable(q.items, -1, false);
          if (!first) return refuse("nothing_to_play", "The queue has nothing to play.");
          q.current_item_id = first.item_id;
          at(0, true);
        } else at(currentPosition(queue, now), true);
      }
      break;
    }
    case "pause":
      at(currentPosition(queue, now), false);
      break;
    case "seek": {
      const item = currentItem(q);
      if (!item) return refuse("nothing_to_play", "Nothing is playing: there is nothing to seek in.");
      at(item.duration_ms ? Math.min(op.position_ms, item.duration_ms) : op.position_ms);
      break;
    }
    case "next":
    case "ended": {
      if (!q.items.length) return refuse("nothing_to_play", "The queue has nothing to play.");
      // A track that ends by itself under repeat-track plays again; a skip always moves on.
      if (op.type === "ended" && q.repeat === "track" && currentItem(q)) {
        at(0);
        break;
      }
      const next = nextAvailable(q.items, indexOfCurrent(q), q.repeat === "queue");
      // At the end with repeat off: playback stops on the last item.
      if (next) moveTo(next);
      else at(0, false);
      break;
    }
    case "previous": {
      const index = indexOfCurrent(q);
      if (index < 0) {
        const first = nextAvailable(q.items, -1, false);
        if (!first) return refuse("nothing_to_play", "The queue has nothing to play.");
        moveTo(first);
      } else if (currentPosition(queue, now) > RESTART_THRESHOLD_MS) at(0);
      else {
        const previous = previousAvailable(q.items, index, q.repeat === "queue");
        if (previous) moveTo(previous);
        else at(0);
      }
      break;
    }
    case "shuffle":
    case "repeat":
    case "volume":
    case "settings": {
      const shuffle = op.type === "shuffle" || op.type === "settings" ? op.shuffle : undefined;
      const repeat = op.type === "repeat" ? op.mode : op.type === "settings" ? op.repeat : undefined;
      const volume = op.type === "volume" || op.type === "settings" ? op.volume : undefined;
      if (shuffle !== undefined && shuffle !== q.shuffle) {
        q.items = shuffle ? shuffleUpcoming(q, random) : unshuffle(q);
        q.shuffle = shuffle;
        listChanged = true;
      }
      if (shuffle !== undefined) broadcast = "state";
      q.repeat = repeat ?? q.repeat;
      q.volume = volume ?? q.volume;
      break;
    }
  }
  if (!q.shuffle) q.original = q.items.map((i) => i.item_id);
  if (listChanged) broadcast = "state";
  q.version = queue.version + 1;
  return { ok: true, queue: q, broadcast, listChanged };
}

export function toPlayback(queue: QueueData): Playback {
  return {
    version: queue.version,
    current_item_id: queue.current_item_id,
    position_ms: queue.position_ms,
    position_updated_at: new Date(queue.position_updated_at).toISOString(),
    is_playing: queue.is_playing,
    shuffle: queue.shuffle,
    repeat: queue.repeat,
    volume: queue.volume,
  };
}

export const toState = (queue: QueueData): QueueState => ({ ...toPlayback(queue), items: queue.items });

/**
 * The queue with its items' availability refreshed (tracks deleted, made private or whose creator
 * was banned since they were queued, or back again): version + 1 when anything changed, else null.
 */
export function withAvailability(queue: QueueData, available: Map<string, boolean>): QueueData | null {
  let changed = false;
  const items = queue.items.map((item) => {
    const now = available.get(item.track_id);
    if (now === undefined || now === item.available) return item;
    changed = true;
    return { ...item, available: now, cover_url: now ? item.cover_url : null };
  });
  return changed ? { ...queue, items, version: queue.version + 1 } : null;
}
