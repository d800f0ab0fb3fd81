// Shared pieces of the auth tests: a unique client address per test (the login lockout counts
// failures per IP, so tests must not share one), accounts with known passwords, calls as a device.
import bcrypt from "bcryptjs";
import { expect } from "vitest";
import { api } from "../helpers/auth";
import { sql, unique } from "../helpers/db";

/** A fresh address in 10.0.0.0/8 (and a user agent) for one test's requests. */
export function device(label = "test") {
  const n = crypto.getRandomValues(new Uint8Array(3));
  return {
    "cf-connecting-ip": `10.${n[0]}.${n[1]}.${n[2]}`,
    "user-agent": `VezaTest/${label} ${unique()}`,
  };
}

export const PASSWORD = "correct horse battery";

/** A registration body with unique email and username. */
export function newAccount(overrides: Record<string, unknown> = {}) {
  const tag = unique();
  return {
    email: `Reg_${tag}@Example.com`,
    username: `reg_${tag}`,
    password: PASSWORD,
    data_processing_consent: true,
    ...overrides,
  };
}

/** Registers through the API; resolves to the 201 body. */
export async function register(headers: Record<string, string> = device(), overrides: Record<string, unknown> = {}) {
  const body = newAccount(overrides);
  const res = await api("POST", "/v1/auth/register", { body, headers });
  expect(res.status, res.text).toBe(201);
  return { ...res.body, input: body } as {
    user: { id: string; email: string; username: string };
    session: { accessToken: string; refreshToken: string; sessionId: string };
    input: ReturnType<typeof newAccount>;
  };
}

/**
 * An account made directly in the database with a cheap bcrypt hash (cost 4: the login compares it
 * like any other), for tests that only need "someone with this password".
 */
export async function accountWithPassword(password = PASSWORD, extra: { is_banned?: boolean; deleted?: boolean } = {}) {
  const tag = unique();
  const [row] = await sql.query(
    `INSERT INTO users (email, username, password_hash, data_processing_consent, data_processing_consent_at, is_banned, deleted_at)
     VALUES ($1, $2, $3, true, now(), $4, CASE WHEN $5 THEN now() END) RETURNING id, email, username`,
    [`acct_${tag}@example.com`, `acct_${tag}`, bcrypt.hashSync(password, 4), extra.is_banned ?? false, extra.deleted ?? false],
  );
  return row as { id: string; email: string; username: string };
}

export const bearer = (accessToken: string, headers: Record<string, string> = {}) => ({ ...headers, Authorization: `Bearer ${accessToken}` });

export const login = (identifier: string, password: string, headers: Record<string, string>, code?: string) =>
  api("POST", "/v1/auth/login", { body: { identifier, password, ...(code ? { code } : {}) }, headers });
