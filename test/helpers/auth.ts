import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker from "../../src/index";
import { signAccessToken, type AccessClaims } from "../../src/lib/auth/tokens";
import { createUser, sql, type TestUser } from "./db";

export interface SignedInUser extends TestUser {
  accessToken: string;
  sessionId: string;
  /** `{ Authorization: "Bearer …" }` for requests as this user. */
  headers: Record<string, string>;
}

/**
 * A user with a live session, made directly in the database (no sign-in route involved): for tests
 * of everything that needs "someone signed in". Tests of sign-in itself go through the routes.
 */
export async function signedInUser(overrides: { email?: string; username?: string; role?: AccessClaims["role"] } = {}): Promise<SignedInUser> {
  const user = await createUser(overrides);
  const [session] = await sql.query(
    `INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '30 days')
     RETURNING family_id`,
    [user.id],
  );
  const sessionId = session!.family_id as string;
  const accessToken = await signAccessToken({ sub: user.id, role: overrides.role ?? "user", sid: sessionId, tv: 0 }, env.JWT_SECRET);
  return { ...user, accessToken, sessionId, headers: { Authorization: `Bearer ${accessToken}` } };
}

/**
 * A request through the Worker's fetch handler, JSON in and out. With `bindings`, the Worker sees
 * those bindings replaced (e.g. a JOBS_QUEUE that only records what is sent to it).
 */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; bindings?: Partial<Cloudflare.Env> } = {},
) {
  const init = {
    method,
    headers: { ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  };
  let res: Response;
  if (options.bindings) {
    const ctx = createExecutionContext();
    res = await worker.fetch(new Request(`https://veza.test${path}`, init), { ...env, ...options.bindings }, ctx);
    await res.clone().arrayBuffer();
    await waitOnExecutionContext(ctx);
  } else {
    res = await exports.default.fetch(`https://veza.test${path}`, init);
  }
  return readResponse(res);
}

/** Status, headers, text and (when the text is JSON) the parsed body of a response. */
export async function readResponse(res: Response) {
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}
