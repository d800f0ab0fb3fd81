import type { CloudProvider } from "../../db/schema/cloud";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const invalid = (message: string) =>
  new ApiError("validation_failed", "The server URL is not accepted.", { errors: [{ path: "json.server_url", message }] });

/**
 * The server URL as stored: https (plain http only to this machine, in development and test), no
 * credentials, query or fragment, no trailing slash. A password in the URL would be stored in clear
 * and echoed back: it is refused, not stripped.
 */
export function normaliseServerUrl(input: string, provider: CloudProvider, environment: Env["ENVIRONMENT"]): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalid("is not a URL");
  }
  if (url.username || url.password) throw invalid("must not contain a username or password: give them in their own fields");
  const local = LOOPBACK.test(url.hostname) && environment !== "production";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) throw invalid("must start with https://");
  if (url.search || url.hash) throw invalid("must not have a query or fragment");
  if (provider === "nextcloud" && /\/remote\.php(\/|$)/.test(url.pathname)) {
    throw invalid("give the address of your Nextcloud (e.g. https://cloud.example.com), without /remote.php/…");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Where the files of the account live: Nextcloud's per-user DAV root, or the URL as given. */
export function davRoot(provider: CloudProvider, serverUrl: string, username: string): string {
  return provider === "nextcloud" ? `${serverUrl}/remote.php/dav/files/${encodeURIComponent(username)}/` : `${serverUrl}/`;
}
