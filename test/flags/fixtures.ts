import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";
import { readResponse, signedInUser, type SignedInUser } from "../helpers/auth";
import { unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";

/**
 * Requests through this file's own instance of the Worker module (`worker.fetch`), as
 * withRoundTrips sends them: the flags snapshot lives in module memory, so tests of the cache send
 * the admin's write and the client's read through the same instance.
 */
export async function send(method: string, path: string, who: SignedInUser | null = null, body?: unknown) {
  const ctx = createExecutionContext();
  const init = { method, headers: { ...who?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined };
  const res = await worker.fetch(new Request(`https://veza.test${path}`, init), env, ctx);
  const read = await readResponse(res);
  await waitOnExecutionContext(ctx);
  return read;
}

/** The same, counting the request's database round trips. */
export async function counted(method: string, path: string, who: SignedInUser | null = null, body?: unknown) {
  const init = { method, headers: { ...who?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined };
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, init));
  return { ...(await readResponse(response)), roundTrips };
}

export const admin = () => signedInUser({ role: "admin" });

/** A key no other test uses. */
export const flagKey = (prefix = "test") => `${prefix}.f${unique()}`;

/** Creates a flag through the admin API (so this isolate's snapshot has it); answers its key. */
export async function createFlag(by: SignedInUser, body: Record<string, unknown>): Promise<string> {
  const key = (body.key as string | undefined) ?? flagKey();
  const res = await send("POST", "/v1/admin/flags", by, { key, ...body });
  expect(res.status, res.text).toBe(201);
  return key;
}

/** The keys of the flags on for `who`, as GET /v1/flags answers them. */
export async function flagsOf(who: SignedInUser | null): Promise<string[]> {
  const res = await send("GET", "/v1/flags", who);
  expect(res.status, res.text).toBe(200);
  return res.body.flags as string[];
}
