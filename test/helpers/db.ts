import { neon } from "@neondatabase/serverless";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import "../../src/db/client"; // routes loopback DATABASE_URLs to the dev database server

/**
 * Raw SQL against the test database, through the same driver and endpoint as the Worker.
 * `sql.query(text, params)` resolves to rows as objects (values parsed like node-postgres).
 */
export const sql = neon(env.DATABASE_URL);

/**
 * Asserts that `promise` rejects with Postgres error `code` (SQLSTATE) and, if given, `constraint`.
 * PostgreSQL 18 (PGlite) reports a delete blocked by ON DELETE RESTRICT as 23001 where 15 says
 * 23503; both mean "still referenced", so 23503 accepts either.
 */
export async function expectPgError(promise: Promise<unknown>, code: string, constraint?: string): Promise<void> {
  const error = await promise.then(
    () => expect.fail(`expected the statement to fail with ${code}${constraint ? ` (${constraint})` : ""}`),
    (err: { code?: string; constraint?: string; message?: string }) => err,
  );
  const codes = code === "23503" ? ["23503", "23001"] : [code];
  expect(codes, `SQLSTATE of: ${error.message}`).toContain(error.code);
  if (constraint) expect(error.constraint, `constraint of: ${error.message}`).toBe(constraint);
}

/** Short unique suffix for names that must not collide between tests. */
export const unique = () => crypto.randomUUID().replace(/-/g, "").slice(0, 12);

export interface TestUser {
  id: string;
  email: string;
  username: string;
}

export async function createUser(overrides: { email?: string; username?: string; role?: string } = {}): Promise<TestUser> {
  const tag = unique();
  const rows = await sql.query(
    `INSERT INTO users (email, username, password_hash, role, data_processing_consent, data_processing_consent_at)
     VALUES ($1, $2, $3, $4, true, now()) RETURNING id, email, username`,
    [overrides.email ?? `user_${tag}@example.com`, overrides.username ?? `user_${tag}`, "$2a$12$notarealhashnotarealhashnotarealhashnotarealhashnotar", overrides.role ?? "user"],
  );
  return rows[0] as TestUser;
}

export async function createFile(userId: string): Promise<{ id: string }> {
  const tag = unique();
  const rows = await sql.query(
    `INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url)
     VALUES ($1, $2, $2, 'audio/wav', 1024, $3, $4) RETURNING id`,
    [userId, `${tag}.wav`, `originals/${userId}/${tag}.wav`, `/v1/files/${tag}`],
  );
  return rows[0] as { id: string };
}
