import { base64url, fromBase64url } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRECISE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
// A float4 as PostgreSQL prints it (shortest text that reads back as the same value).
const REAL = /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/** Where a search page ends: the last result's rank, created_at (microseconds) and id. */
export type RankPosition = [rank: string, at: string, id: string];

/**
 * The keyset cursor of search results, which are ordered by (rank DESC, created_at DESC, id DESC):
 * lib/cursor.ts's (timestamp, id) cursor with the rank in front. The rank travels as PostgreSQL's
 * own text of the float4 it computed, which reads back as exactly the same value, so the next
 * page's `(rank, created_at, id) < cursor` compares equal ranks exactly. Chosen over an offset: a
 * page boundary does not shift when results are added or removed between two pages.
 */
export const encodeRankCursor = (position: RankPosition) => base64url(new TextEncoder().encode(JSON.stringify(position)));

/** The position of a cursor this API gave; 422 on `query.cursor` for anything else. */
export function decodeRankCursor(cursor: string): RankPosition {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(cursor))) as unknown;
    if (Array.isArray(value) && value.length === 3) {
      const [rank, at, id] = value as unknown[];
      if (typeof rank === "string" && typeof at === "string" && typeof id === "string" && REAL.test(rank) && PRECISE_ISO.test(at) && UUID.test(id)) {
        return [rank, at, id];
      }
    }
  } catch {
    // falls through to the 422
  }
  throw new ApiError("validation_failed", "The cursor is not valid.", { errors: [{ path: "query.cursor", message: "is not a cursor this API gave" }] });
}
