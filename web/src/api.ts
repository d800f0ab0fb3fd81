/**
 * The one way the web app talks to the API (same origin: no CORS, no cookies).
 *
 * - JSON in and out; any error answer becomes an `ApiError` carrying the problem+json body (RFC 9457):
 *   `code`, `detail`, and the field errors of a 422 mapped for forms (`error.fields.email`).
 * - Tokens: the API answers them in the body (`session.accessToken`, 15 minutes; `session.refreshToken`,
 *   single use). They are kept in localStorage so a reload — or another tab — stays signed in. The
 *   trade-off is that script running on this origin could read them; cookies would need API changes
 *   (the API reads `Authorization: Bearer` only) and bring CSRF with them. The app ships no third-party
 *   script and no inline script, which keeps that surface small.
 * - Refresh: an access token about to expire is refreshed before the request; a 401 on a request that
 *   carried a token refreshes once and retries once. Refresh tokens rotate and a reused one ends the
 *   whole session, so tabs must never refresh the same token twice: refreshes are serialised across
 *   tabs with the Web Locks API, and a tab that finds the stored token already rotated by another
 *   tab adopts it instead of refreshing.
 */
import type { IssuedSession } from "./types/api";

/** One field error of a problem: `path` as the API names it (`json.email`, `query.limit`). */
export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Everything that is not a 2xx answer, and network failures (status 0, code `network_error`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** Field errors keyed by field name (the API's path without its `json.`/`body.`/`query.` target). */
  readonly fields: Record<string, string>;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = "ApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.fields = {};
    for (const e of problem.errors ?? []) {
      const key = e.path.replace(/^(json|body|query|param|header)\./, "");
      this.fields[key] ??= e.message;
    }
  }

  /** The message of a field error at exactly this API path (`json.code`), if any. */
  fieldAt(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

/** A message fit for a person, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === "network_error") return "Veza cannot be reached. Check your connection and try again.";
    if (err.status === 429) return err.message || "Too many attempts. Wait a moment and try again.";
    return err.message;
  }
  return err instanceof Error ? err.message : "Something went wrong.";
}

// ---------------------------------------------------------------------------------------------
// Tokens

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

const STORAGE_KEY = "veza.auth";
const REFRESH_MARGIN_MS = 30_000;

function readStored(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const t = JSON.parse(raw) as Partial<Tokens>;
    return typeof t.accessToken === "string" && typeof t.refreshToken === "string" && typeof t.expiresAt === "number"
      ? (t as Tokens)
      : null;
  } catch {
    return null;
  }
}

let tokens: Tokens | null = readStored();
const listeners = new Set<(t: Tokens | null) => void>();

function notify() {
  for (const l of listeners) l(tokens);
}

/** Another tab signed in, refreshed or signed out: follow it. */
addEventListener("storage", (e) => {
  if (e.key !== STORAGE_KEY && e.key !== null) return;
  const next = readStored();
  const signedInChanged = !tokens !== !next || tokens?.sessionId !== next?.sessionId;
  tokens = next;
  if (signedInChanged) notify();
});

export function getTokens(): Tokens | null {
  return tokens;
}

/** Keep the session the API issued (sign-in, sign-up, refresh, password change). */
export function setSession(session: IssuedSession): void {
  const changed = tokens?.sessionId !== session.sessionId;
  tokens = {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    sessionId: session.sessionId,
    expiresAt: Date.now() + session.expiresIn * 1000,
  };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  if (changed) notify();
}

export function clearTokens(): void {
  const had = tokens !== null;
  tokens = null;
  localStorage.removeItem(STORAGE_KEY);
  if (had) notify();
}

/** Called when the session starts, ends or changes (not on each refresh). Returns the unsubscribe. */
export function onTokensChange(listener: (t: Tokens | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let refreshing: Promise<Tokens | null> | null = null;

/**
 * Rotate the refresh token. Resolves to the new tokens, or null when the session is over (the
 * tokens are then cleared). Concurrent calls in this tab share one request; across tabs, a lock.
 */
export function refreshTokens(): Promise<Tokens | null> {
  if (!refreshing) {
    const used = tokens?.refreshToken;
    const run = async (): Promise<Tokens | null> => {
      // Another tab may have rotated it while we waited for the lock.
      const stored = readStored();
      if (!stored) {
        clearTokens();
        return null;
      }
      if (stored.refreshToken !== used && stored.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        tokens = stored;
        return stored;
      }
      const res = await send("/v1/auth/refresh", { method: "POST", body: { refresh_token: stored.refreshToken } }, null);
      if (res.ok) {
        const { session } = (await res.json()) as { session: IssuedSession };
        setSession(session);
        return tokens;
      }
      if (res.status === 401 || res.status === 403 || res.status === 422) {
        clearTokens();
        return null;
      }
      throw await toError(res);
    };
    const locked = ("locks" in navigator ? navigator.locks.request("veza.auth.refresh", run) : run()) as Promise<Tokens | null>;
    const shared = locked.finally(() => {
      refreshing = null;
    });
    refreshing = shared;
    return shared;
  }
  return refreshing;
}

/**
 * A valid access token (refreshed first when it expires within 30 s), or null when signed out.
 * For what cannot go through `api()`: WebSocket subprotocols (`bearer.<jwt>`), XHR uploads with progress.
 */
export async function freshAccessToken(): Promise<string | null> {
  if (!tokens) return null;
  if (tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
  return (await refreshTokens())?.accessToken ?? null;
}

// ---------------------------------------------------------------------------------------------
// Requests

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A plain object/array is sent as JSON; a Blob, ArrayBuffer, FormData or string is sent as is. */
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the access token when signed in (default true). */
  auth?: boolean;
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    typeof body === "string" ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof ReadableStream
  );
}

/** `path` + the defined values of `query`. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

async function send(path: string, opts: RequestOptions, accessToken: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json", ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (isRawBody(opts.body)) body = opts.body;
    else {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
  }
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(withQuery(path, opts.query), { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError({ status: 0, code: "network_error", title: "Network error", detail: err instanceof Error ? err.message : String(err) });
  }
}

async function toError(res: Response): Promise<ApiError> {
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const p = (await res.json()) as Partial<Problem>;
      return new ApiError({ ...p, status: res.status, code: typeof p.code === "string" ? p.code : `http_${res.status}` });
    } catch {
      /* not JSON after all */
    }
  }
  return new ApiError({ status: res.status, code: `http_${res.status}`, title: res.statusText, detail: `The server answered ${res.status} ${res.statusText}.` });
}

/**
 * The raw Response of an API request, with the token (refreshed when needed, and once more on a
 * 401). Non-2xx answers throw an ApiError. Use `api()` unless the body is not JSON.
 */
export async function apiResponse(path: string, opts: RequestOptions = {}): Promise<Response> {
  const useAuth = opts.auth !== false;
  const token = useAuth ? await freshAccessToken() : null;
  let res = await send(path, opts, token);
  // A streamed body cannot be sent twice.
  if (res.status === 401 && token && !(opts.body instanceof ReadableStream)) {
    const renewed = tokens?.accessToken !== token ? tokens : await refreshTokens();
    if (renewed) res = await send(path, opts, renewed.accessToken);
  }
  if (!res.ok) throw await toError(res);
  return res;
}

/** A JSON API request: the parsed body (undefined for 204), or an ApiError. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, opts);
  if (res.status === 204 || res.headers.get("content-length") === "0") return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query, opts: Omit<RequestOptions, "method" | "query"> = {}) =>
  api<T>(path, { ...opts, query });
export const post = <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "method" | "body"> = {}) =>
  api<T>(path, { ...opts, method: "POST", body });
export const put = <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "method" | "body"> = {}) =>
  api<T>(path, { ...opts, method: "PUT", body });
export const patch = <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "method" | "body"> = {}) =>
  api<T>(path, { ...opts, method: "PATCH", body });
export const del = <T = void>(path: string, opts: Omit<RequestOptions, "method"> = {}) => api<T>(path, { ...opts, method: "DELETE" });

/** `wss://host/path` (or ws:// on http) for a WebSocket on this origin. */
export function wsUrl(path: string, query?: Query): string {
  const url = new URL(withQuery(path, query), location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
