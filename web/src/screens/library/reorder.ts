/**
 * The arithmetic of moving a track within a playlist, as the API does it (PATCH
 * /v1/playlists/:id/tracks/:trackId { position }): the track leaves its position, the tracks between
 * shift by one, and it lands at the new position. The list on screen may miss some positions (tracks
 * the viewer may not see are left out, their positions kept), so moves are expressed in positions,
 * never in indexes of the visible list.
 */

interface Positioned {
  position: number;
  track: { id: string };
}

/**
 * The API position for dropping the item at visible index `from` into the gap before visible index
 * `gap` (0..items.length; items.length is after the last one). Null when that changes nothing.
 */
export function positionForGap<T extends Positioned>(items: readonly T[], from: number, gap: number): number | null {
  const moving = items[from];
  if (!moving || gap === from || gap === from + 1) return null;
  if (gap <= from) {
    // Moving up: it takes the position of the item it now precedes.
    return items[gap]!.position;
  }
  // Moving down: it lands right after items[gap - 1], which moves up one to make room.
  return items[gap - 1]!.position;
}

/** The visible list after the move the API will make (positions renumbered as the API renumbers them). */
export function applyMove<T extends Positioned>(items: readonly T[], trackId: string, to: number): T[] {
  const moving = items.find((i) => i.track.id === trackId);
  if (!moving) return [...items];
  const from = moving.position;
  return items
    .map((item) => {
      if (item === moving) return { ...item, position: to };
      if (from < to && item.position > from && item.position <= to) return { ...item, position: item.position - 1 };
      if (to < from && item.position >= to && item.position < from) return { ...item, position: item.position + 1 };
      return item;
    })
    .sort((a, b) => a.position - b.position);
}

/** The visible list after the API removed a track (the tracks after it move up one). */
export function applyRemove<T extends Positioned>(items: readonly T[], trackId: string): T[] {
  const removed = items.find((i) => i.track.id === trackId);
  if (!removed) return [...items];
  return items.filter((i) => i !== removed).map((i) => (i.position > removed.position ? { ...i, position: i.position - 1 } : i));
}
