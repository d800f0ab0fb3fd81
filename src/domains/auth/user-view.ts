import type { AuthUser } from "./schemas";
import type { SessionUser } from "./sessions";

/** The users columns the auth flows read, as raw SQL rows carry them. */
export interface UserRow {
  id: string;
  email: string;
  username: string;
  display_name: string | null;
  role: SessionUser["role"];
  token_version: number | string;
  email_verified_at: string | Date | null;
  created_at: string | Date;
}

/** Timestamps come from the driver as Postgres text; the API speaks ISO 8601. */
export const isoTime = (value: string | Date) => new Date(value).toISOString();

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    display_name: row.display_name,
    role: row.role,
    email_verified: row.email_verified_at !== null,
    created_at: isoTime(row.created_at),
  };
}

export const toSessionUser = (row: Pick<UserRow, "id" | "role" | "token_version">): SessionUser => ({
  id: row.id,
  role: row.role,
  tokenVersion: Number(row.token_version),
});
