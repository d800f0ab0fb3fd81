import { ApiError, type FieldError } from "./errors";

/** The Postgres fields the Neon driver copies onto its error (and the dev server reproduces). */
interface PgFields {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  message?: string;
  sourceError?: unknown;
}

/** drizzle wraps driver errors (DrizzleQueryError); the Postgres fields sit on a cause. */
function findPgFields(err: unknown): PgFields | null {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const f = e as PgFields & { name?: string };
    if (typeof f.code === "string" && /^[0-9A-Z]{5}$/.test(f.code)) return f;
    if (f.name === "NeonDbError") return f;
  }
  return null;
}

/** The SQLSTATE of a database error (wrapped or not), or null for anything else. */
export const postgresCode = (err: unknown): string | null => findPgFields(err)?.code ?? null;

/** The constraint a database error names (wrapped or not), or null. */
export const postgresConstraint = (err: unknown): string | null => findPgFields(err)?.constraint ?? null;

/** "Key (lower(email::text))=(x@y.z) already exists." -> ["email"]: field names without the values. */
function keyColumns(detail: string | undefined): string[] {
  const m = detail ? /^Key \((.+?)\)=/.exec(detail) : null;
  if (!m) return [];
  return m[1]!.split(",").map((c) => c.trim().replace(/^\w+\(/, "").replace(/(::\w+)?\)+$/, "").replace(/::\w+$/, ""));
}

const fieldErrors = (columns: string[], message: string): FieldError[] | undefined =>
  columns.length ? columns.map((path) => ({ path, message })) : undefined;

/**
 * Turns a database failure into the platform's error, never leaking SQL: unique violations are
 * conflicts, constraint and type violations are invalid input, an unreachable database is 503.
 * Returns null for anything that is not a database error.
 */
export function fromDatabaseError(err: unknown): ApiError | null {
  const pg = findPgFields(err);
  if (!pg) return null;
  switch (pg.code) {
    case "23505":
      return new ApiError("conflict", "A resource with the same unique value already exists.", {
        errors: fieldErrors(keyColumns(pg.detail), "is already taken"),
        cause: err,
      });
    case "23001": // RESTRICT (PostgreSQL 18 reports it apart from 23503)
      return new ApiError("conflict", "This is still in use by something else and cannot be removed.", { cause: err });
    case "23503":
      if (pg.detail?.includes("still referenced")) {
        return new ApiError("conflict", "This is still in use by something else and cannot be removed.", { cause: err });
      }
      return new ApiError("validation_failed", "The request refers to something that does not exist.", {
        errors: fieldErrors(keyColumns(pg.detail), "does not exist"),
        cause: err,
      });
    case "23514":
    case "23P01":
      return new ApiError("validation_failed", "The request breaks a rule of the data model.", { cause: err });
    case "23502":
      return new ApiError("validation_failed", "A required value is missing.", {
        errors: pg.column ? [{ path: pg.column, message: "is required" }] : undefined,
        cause: err,
      });
    case "22P02":
    case "22007":
    case "22008":
    case "22003":
    case "22001":
      return new ApiError("validation_failed", "A value has the wrong format or is out of range.", { cause: err });
    case "40001":
    case "40P01":
      return new ApiError("conflict", "A concurrent change got there first; retry the request.", { cause: err });
    case "57P01":
    case "57P03":
    case "53300":
    case undefined:
      // No SQLSTATE: the driver could not reach the database (network error, 5xx from the endpoint).
      return new ApiError("database_unavailable", "The database cannot be reached right now; retry shortly.", {
        headers: { "Retry-After": "5" },
        cause: err,
      });
    default:
      return null;
  }
}
