/**
 * A real WebDAV server (npm `webdav-server`) on 127.0.0.1, for trying the cloud backups locally, for
 * the tests (test/webdav-setup.ts) and for the bench (bench/cloud.ts).
 *
 *   npx tsx scripts/webdav-dev.ts [--port 1900] [--user veza] [--password <app password>] [--dir <folder>]
 *
 * Without --dir the files live in memory; with it, on disk under that folder. Then connect an account
 * with provider "webdav" and server_url http://127.0.0.1:<port> (plain http is accepted on loopback
 * in development and test only).
 */
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { v2 as WebDav } from "webdav-server";

export interface DevWebDavServer {
  url: string;
  port: number;
  username: string;
  password: string;
  close(): Promise<void>;
}

export interface DevWebDavOptions {
  port: number;
  username: string;
  password: string;
  /** Store files on disk under this folder instead of in memory. */
  dir?: string;
  /** Called with each request's method and decoded path (the tests count PUTs with it). */
  onRequest?: (method: string, path: string) => void;
}

/** Starts the server; only `username`/`password` (Basic auth) get in, with every right on the tree. */
export async function startWebDavServer(options: DevWebDavOptions): Promise<DevWebDavServer> {
  // webdav-server ships CommonJS only.
  const webdav = (createRequire(import.meta.url)("webdav-server") as { v2: typeof WebDav }).v2;
  const users = new webdav.SimpleUserManager();
  const user = users.addUser(options.username, options.password, false);
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(user, "/", ["all"]);
  const server = new webdav.WebDAVServer({
    httpAuthentication: new webdav.HTTPBasicAuthentication(users, "Veza dev WebDAV"),
    privilegeManager: privileges,
    requireAuthentification: true,
    hostname: "127.0.0.1",
    port: options.port,
  });
  if (options.onRequest) {
    const onRequest = options.onRequest;
    server.beforeRequest((ctx, next) => {
      onRequest(ctx.request.method ?? "", ctx.requested.path.toString());
      next();
    });
  }
  if (options.dir) {
    await mkdir(options.dir, { recursive: true });
    await new Promise<void>((resolve, reject) =>
      server.setFileSystem("/", new webdav.PhysicalFileSystem(options.dir!), (ok) => (ok ? resolve() : reject(new Error(`cannot serve ${options.dir}`)))),
    );
  }
  const http = await new Promise<import("node:http").Server>((resolve) => server.start((s) => resolve(s as import("node:http").Server)));
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    username: options.username,
    password: options.password,
    close: () => new Promise<void>((resolve) => server.stop(() => resolve())).then(() => void http.closeAllConnections?.()),
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = await startWebDavServer({
    port: Number(arg("port") ?? 1900),
    username: arg("user") ?? "veza",
    password: arg("password") ?? "dev-app-password",
    dir: arg("dir"),
  });
  console.log(`WebDAV server at ${server.url} (user ${server.username}, files ${arg("dir") ?? "in memory"}); Ctrl-C to stop.`);
  console.log(`Connect it: POST /v1/me/cloud-accounts {"provider":"webdav","server_url":"${server.url}","username":"${server.username}","app_password":"<the password>"}`);
  process.on("SIGINT", () => void server.close().then(() => process.exit(0)));
}
