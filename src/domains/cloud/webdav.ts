import { parseMultistatus, type DavEntry } from "./multistatus";

/**
 * A small WebDAV client over fetch (RFC 4918: PROPFIND, MKCOL, PUT, GET, DELETE) with Basic auth,
 * for backups to Nextcloud and other WebDAV servers. Every failure is a `WebDavError` whose message
 * can be shown to the account's owner as it is: it never contains the password (it is only ever
 * in the Authorization header, which no message quotes).
 */

export type WebDavErrorKind = "auth" | "not_found" | "insufficient_storage" | "conflict" | "timeout" | "network" | "server" | "protocol";

export class WebDavError extends Error {
  constructor(
    readonly kind: WebDavErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "WebDavError";
  }

  /** Errors that no other file of the same run can escape: stop the run rather than fail file after file. */
  get stopsRun(): boolean {
    return this.kind === "auth" || this.kind === "insufficient_storage" || this.kind === "timeout" || this.kind === "network";
  }
}

export const AUTH_REFUSED = "The server refused the username or app password.";

export interface WebDavCredentials {
  /** The DAV root, e.g. https://cloud.example.com/remote.php/dav/files/ada/ */
  rootUrl: string;
  username: string;
  password: string;
}

/** PROPFIND, MKCOL, DELETE: small answers. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A PUT may take this long plus one second per MiB at a slow 1 MiB/s. */
const PUT_BASE_TIMEOUT_MS = 60_000;

const PROPFIND_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/><d:quota-used-bytes/><d:quota-available-bytes/></d:prop></d:propfind>`;

function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** `/a b/c.wav` -> `a%20b/c.wav`, relative to the root (each segment escaped; no dot segments). */
export function encodeDavPath(path: string): string {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => {
      if (s === "." || s === "..") throw new WebDavError("protocol", `"${s}" is not allowed in a remote path.`);
      return encodeURIComponent(s);
    })
    .join("/");
}

function describeStatus(status: number, what: string): WebDavError {
  if (status === 401 || status === 403) return new WebDavError("auth", AUTH_REFUSED, status);
  if (status === 404) return new WebDavError("not_found", `${what}: not found on the server (404).`, status);
  if (status === 507) return new WebDavError("insufficient_storage", "The cloud account is out of space (507 Insufficient Storage).", status);
  if (status === 409) return new WebDavError("conflict", `${what}: the server refused it (409 Conflict: a parent folder is missing or a file is in the way).`, status);
  if (status === 423) return new WebDavError("conflict", `${what}: the file is locked on the server (423 Locked).`, status);
  if (status === 413) return new WebDavError("server", `${what}: the server refused a file this large (413).`, status);
  return new WebDavError("server", `${what}: the server answered ${status}.`, status);
}

function describeThrown(err: unknown, what: string, timeoutMs: number): WebDavError {
  if (err instanceof WebDavError) return err;
  const name = err instanceof Error ? err.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new WebDavError("timeout", `${what}: the server did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
  }
  const reason = err instanceof Error ? err.message : String(err);
  const tls = /tls|ssl|certificate/i.test(reason);
  return new WebDavError("network", tls ? `${what}: a secure (TLS) connection to the server failed: ${reason}` : `${what}: the server could not be reached (${reason}).`);
}

export class WebDavClient {
  private readonly root: URL;
  private readonly authorization: string;

  constructor(credentials: WebDavCredentials) {
    this.root = new URL(credentials.rootUrl.endsWith("/") ? credentials.rootUrl : `${credentials.rootUrl}/`);
    this.authorization = basicAuth(credentials.username, credentials.password);
  }

  /** The URL of `path` (relative to the root); `collection` adds the trailing slash servers expect. */
  url(path: string, collection = false): string {
    const encoded = encodeDavPath(path);
    return new URL(encoded + (collection && encoded ? "/" : ""), this.root).toString();
  }

  private async send(method: string, url: string, what: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
    const timeoutMs = init.timeoutMs ?? REQUEST_TIMEOUT_MS;
    try {
      return await fetch(url, {
        ...init,
        method,
        redirect: "manual",
        headers: { authorization: this.authorization, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw describeThrown(err, what, timeoutMs);
    }
  }

  /** PROPFIND with Depth 0 (the resource) or 1 (and its members). */
  async propfind(path: string, depth: 0 | 1, what = "Reading the folder"): Promise<DavEntry[]> {
    const res = await this.send("PROPFIND", this.url(path, true), what, {
      headers: { depth: String(depth), "content-type": "application/xml; charset=utf-8" },
      body: PROPFIND_BODY,
    });
    if (res.status !== 207) {
      await res.body?.cancel();
      if (res.status >= 300 && res.status < 400) throw new WebDavError("protocol", `${what}: the server redirects elsewhere (${res.status}); use the final WebDAV URL.`, res.status);
      throw describeStatus(res.status, what);
    }
    try {
      return parseMultistatus(await res.text());
    } catch (err) {
      throw new WebDavError("protocol", `${what}: the server's answer is not a WebDAV multistatus (${err instanceof Error ? err.message : String(err)}).`);
    }
  }

  /**
   * Checks that the root is a WebDAV collection these credentials may read; answers it (with the
   * quota when the server reports one).
   */
  async testRoot(): Promise<DavEntry> {
    let entries: DavEntry[];
    try {
      entries = await this.propfind("", 0, "Connecting");
    } catch (err) {
      if (err instanceof WebDavError && (err.kind === "not_found" || (err.kind === "server" && (err.status === 405 || err.status === 501)))) {
        throw new WebDavError("not_found", "No WebDAV endpoint at that URL.", err.status);
      }
      throw err;
    }
    const root = entries[0];
    if (!root || !root.isCollection) throw new WebDavError("protocol", "That URL is a file, not a WebDAV folder.");
    return root;
  }

  /** MKCOL: "created", or "exists" (405 Method Not Allowed is what servers answer for an existing one). */
  async mkcol(path: string): Promise<"created" | "exists"> {
    const res = await this.send("MKCOL", this.url(path, true), `Creating the folder ${path}`);
    await res.body?.cancel();
    if (res.status === 201) return "created";
    if (res.status === 405) return "exists";
    throw describeStatus(res.status, `Creating the folder ${path}`);
  }

  /**
   * Creates every missing folder of `dir` (`/Veza/tracks`), parent first, remembering in `known`
   * what exists so a run asks once per folder.
   */
  async ensureCollection(dir: string, known: Set<string>): Promise<void> {
    const segments = dir.split("/").filter(Boolean);
    let path = "";
    for (const segment of segments) {
      path += `/${segment}`;
      if (known.has(path)) continue;
      await this.mkcol(path);
      known.add(path);
    }
  }

  /**
   * PUT of `size` bytes from `body`, streamed: a FixedLengthStream gives the request its
   * Content-Length (servers refuse or buffer chunked uploads) without holding the file in memory.
   * Answers the ETag when the server sends one.
   */
  async put(path: string, body: ReadableStream<Uint8Array>, size: number, contentType = "application/octet-stream"): Promise<{ etag: string | null }> {
    const what = `Uploading ${path}`;
    const sized = new FixedLengthStream(size);
    const piping = body.pipeTo(sized.writable).catch((err: unknown) => err);
    const timeoutMs = PUT_BASE_TIMEOUT_MS + Math.ceil(size / 1_048_576) * 1000;
    const res = await this.send("PUT", this.url(path), what, { headers: { "content-type": contentType }, body: sized.readable, timeoutMs });
    await res.body?.cancel();
    const pipeError = await piping;
    if (res.status !== 200 && res.status !== 201 && res.status !== 204) throw describeStatus(res.status, what);
    if (pipeError) throw new WebDavError("server", `${what}: reading the original failed (${pipeError instanceof Error ? pipeError.message : String(pipeError)}).`);
    return { etag: res.headers.get("etag") };
  }

  /** GET of a file: the response, its body unread. */
  async get(path: string): Promise<Response> {
    const res = await this.send("GET", this.url(path), `Downloading ${path}`, { timeoutMs: PUT_BASE_TIMEOUT_MS });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw describeStatus(res.status, `Downloading ${path}`);
    }
    return res;
  }

  /** DELETE; a file already gone is fine. */
  async delete(path: string, collection = false): Promise<void> {
    const res = await this.send("DELETE", this.url(path, collection), `Deleting ${path}`);
    await res.body?.cancel();
    if (res.status !== 404 && (res.status < 200 || res.status >= 300)) throw describeStatus(res.status, `Deleting ${path}`);
  }
}
