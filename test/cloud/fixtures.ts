import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { api, type SignedInUser } from "../helpers/auth";
import { uniq } from "../helpers/db";

/** The real WebDAV server of this test run (test/webdav-setup.ts). */
export const dav = inject("webdav");

const basic = (username: string, password: string) => `Basic ${btoa(`${username}:${password}`)}`;

/** Every response body a test saw, to prove the app password never appears in one. */
export const seenBodies: string[] = [];

/** `api()` that also keeps the response text for the password scan. */
export async function call(method: string, path: string, options: Parameters<typeof api>[2] = {}) {
  const res = await api(method, path, options);
  seenBodies.push(res.text);
  return res;
}

/** A fresh remote folder per test, so tests sharing the server never see each other's files. */
export const remoteFolder = () => `/t-${uniq()}`;

/** Connects `who` to the test server (201 expected), with the right password unless told. */
export async function connect(who: SignedInUser, overrides: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/me/cloud-accounts", {
    headers: who.headers,
    body: { provider: "webdav", server_url: dav.url, username: dav.username, app_password: dav.password, display_name: "My NAS", ...overrides },
  });
  return res;
}

/** Connects and creates a job writing under a fresh folder; answers both. */
export async function accountAndJob(who: SignedInUser, job: Record<string, unknown> = {}) {
  const account = await connect(who);
  if (account.status !== 201) throw new Error(`connect: ${account.status} ${account.text}`);
  const remotePath = remoteFolder();
  const created = await call("POST", "/v1/me/backup-jobs", {
    headers: who.headers,
    body: { cloud_account_id: account.body.id, name: "Nightly", remote_path: remotePath, ...job },
  });
  if (created.status !== 201) throw new Error(`create job: ${created.status} ${created.text}`);
  return { account: account.body, job: created.body, remotePath };
}

/** GET of a remote file straight from the WebDAV server: its bytes, or null when absent. */
export async function remoteFile(path: string): Promise<Uint8Array | null> {
  const url = `${dav.url}${path.split("/").map(encodeURIComponent).join("/")}`;
  const res = await fetch(url, { headers: { authorization: basic(dav.username, dav.password) } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The paths PUT to the server under `prefix` since it started. */
export async function putsUnder(prefix: string): Promise<string[]> {
  return ((await (await fetch(`${dav.statsUrl}/puts?prefix=${encodeURIComponent(prefix)}`)).json()) as { puts: string[] }).puts;
}

export async function sha256(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", data))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Pseudo-random bytes (not compressible, not a pattern a bug could reproduce by accident). */
export function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export { env };
