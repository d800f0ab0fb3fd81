/**
 * The SQLSTATE and constraint of a database error (drizzle wraps the driver's error; the Postgres
 * fields sit on a cause), for the few failures this domain answers itself: a full room (the
 * member-count CHECK under concurrent joins) and a taken slug.
 */
export function pgErrorOf(err: unknown): { code: string; constraint?: string } | null {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const f = e as { code?: unknown; constraint?: unknown };
    if (typeof f.code === "string" && /^[0-9A-Z]{5}$/.test(f.code)) return { code: f.code, constraint: typeof f.constraint === "string" ? f.constraint : undefined };
  }
  return null;
}

/** The join that would pass max_members fails on chk_rooms_member_count_max (the counter trigger locks the room row). */
export const isRoomFull = (err: unknown) => {
  const pg = pgErrorOf(err);
  return pg?.code === "23514" && pg.constraint === "chk_rooms_member_count_max";
};
