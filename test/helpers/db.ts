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

/** A uuid no row ever has (v4 shape): for foreign keys that must point nowhere. */
export const MISSING = "00000000-0000-4000-8000-000000000000";

let seq = 0;
/**
 * Lower-case alphanumeric suffix, unique per call (time, a counter, then random): fits slugs,
 * dotted keys and metric names. `unique()` is the fixed-length hex variant.
 */
export const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs `text` and expects exactly one row back (a failed expectation otherwise); resolves to it. */
export async function one(text: string, params: unknown[] = []): Promise<Row> {
  const rows = await sql.query(text, params);
  expect(rows.length).toBe(1);
  return rows[0]!;
}

/** Runs `text` and resolves to its first row, without checking how many came back (see `one`). */
export async function firstRow(text: string, params: unknown[] = []): Promise<Row> {
  const rows = await sql.query(text, params);
  return rows[0]!;
}

/** `one(text, params).id`: for an INSERT ... RETURNING id. */
export const id = async (text: string, params: unknown[] = []) => (await one(text, params)).id as string;

/**
 * INSERT INTO table (keys of values) VALUES ($1, ...) RETURNING `returning`; resolves to every
 * returned row. Table and column names come from the calling test, never from input. Values are
 * passed as they are: jsonb as JSON text, arrays as '{...}' literals.
 */
export async function insertRows(table: string, values: Row, returning = "*"): Promise<Row[]> {
  const cols = Object.keys(values);
  return sql.query(
    `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING ${returning}`,
    cols.map((c) => values[c]),
  );
}

/** `insertRows`, resolving to the inserted row (RETURNING * unless told). */
export async function insert(table: string, values: Row, returning = "*"): Promise<Row> {
  return (await insertRows(table, values, returning))[0]!;
}

/** `insert`, resolving to the new row's id. */
export const insertId = async (table: string, values: Row) => (await insert(table, values)).id as string;

/** A shared fixture built on first use: every call resolves to the same (single) run of `make`. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}

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
