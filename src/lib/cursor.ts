import { base64url, fromBase64url } from "./crypto";
import { ApiError } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRECISE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/**
 * The opaque keyset cursor of every list: (a timestamp at microsecond precision — `preciseIso()` of
 * the sort column — and the id) of the last item of the page. Opaque so clients never build one.
 */
export const encodeCursor = (at: string, id: string) => base64url(new TextEncoder().encode(JSON.stringify([at, id])));

/** The (timestamp, id) of a cursor this API gave; 422 on `query.cursor` for anything else. */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(cursor))) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && PRECISE_ISO.test(value[0]) && typeof value[1] === "string" && UUID.test(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // falls through to the 422
  }
  throw new ApiError("validation_failed", "The cursor is not valid.", { errors: [{ path: "query.cursor", message: "is not a cursor this API gave" }] });
}
