/**
 * Starts a real WebDAV server (npm `webdav-server`, in memory) on 127.0.0.1 for the cloud backup
 * tests, with one user, and a tiny side server that tells which paths were PUT (GET /puts?prefix=…),
 * so a test can prove that a re-run sent nothing. Tests read the URLs with `inject("webdav")`.
 */
import { createServer } from "node:http";
import type { TestProject } from "vitest/node";
import { freePort } from "../scripts/free-port";
import { startWebDavServer } from "../scripts/webdav-dev";

export default async function setup(project: TestProject) {
  const puts: string[] = [];
  const dav = await startWebDavServer({
    port: await freePort(),
    username: "veza-test",
    password: `app-${crypto.randomUUID()}`,
    onRequest: (method, path) => {
      if (method === "PUT") puts.push(path);
    },
  });
  const stats = createServer((req, res) => {
    const prefix = new URL(req.url ?? "/", "http://x").searchParams.get("prefix") ?? "/";
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ puts: puts.filter((p) => p.startsWith(prefix)) }));
  });
  const statsPort = await freePort();
  await new Promise<void>((resolve) => stats.listen(statsPort, "127.0.0.1", resolve));
  project.provide("webdav", { url: dav.url, username: dav.username, password: dav.password, statsUrl: `http://127.0.0.1:${statsPort}` });
  return async () => {
    await new Promise<void>((resolve) => stats.close(() => resolve()));
    await dav.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    webdav: { url: string; username: string; password: string; statsUrl: string };
  }
}
