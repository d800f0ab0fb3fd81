import { mkdir } from "node:fs/promises";
import { createPgliteBackend, createPostgresBackend, type Backend } from "./dev-db/backends";
import type { SqlExecutor } from "./migrations";

/** PGlite's files: `.data/pglite`, or VEZA_PGLITE_DIR (an isolated platform, e.g. the e2e tests'). */
export const PGLITE_DIR = process.env.VEZA_PGLITE_DIR || new URL("../.data/pglite", import.meta.url).pathname;
export const DEFAULT_DEV_DB_PORT = 4444;

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//.test(url);

/**
 * A postgres:// URL naming a real server. The Worker's local DATABASE_URL
 * (postgres://veza:veza@127.0.0.1:4444/veza) names the dev database server itself, not a PostgreSQL.
 */
export function isRealPostgresUrl(url: string | undefined, devPort = Number(process.env.DEV_DB_PORT ?? DEFAULT_DEV_DB_PORT)): url is string {
  if (!isPostgresUrl(url)) return false;
  const { hostname, port } = new URL(url);
  return !(["127.0.0.1", "localhost", "[::1]"].includes(hostname) && Number(port) === devPort);
}

/** Opens the database a script works on: the PostgreSQL of `url` when given, else PGlite in `.data/`. */
export async function openBackend(url?: string, dataDir: string | undefined = PGLITE_DIR): Promise<Backend> {
  if (isPostgresUrl(url)) return createPostgresBackend(url);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  return createPgliteBackend(dataDir);
}

export function backendExecutor(backend: Backend): SqlExecutor {
  return {
    exec: (sql) => backend.exec(sql),
    query: async (sql, params) => (await backend.query({ query: sql, params: params ?? [] })).rows,
  };
}

/** Talks to a running dev database server (scripts/dev-db.ts), which owns the PGlite files. */
export function httpExecutor(baseUrl: string): SqlExecutor {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw Object.assign(new Error(String(json.message)), json);
    return json;
  };
  return {
    exec: async (sql) => void (await post("/exec", { sql })),
    query: async (sql, params) => (await post("/sql", { query: sql, params: params ?? [] })).rows as (string | null)[][],
  };
}

export async function devServerRunning(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The executor for CLI scripts (migrate, rollback, seed): a postgres:// DATABASE_URL directly;
 * otherwise the running dev server if there is one (it holds PGlite's files), else PGlite itself.
 */
export async function scriptExecutor(): Promise<{ executor: SqlExecutor; target: string; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (isRealPostgresUrl(url)) {
    const backend = await openBackend(url);
    return { executor: backendExecutor(backend), target: url.replace(/:[^:@/]*@/, ":***@"), close: () => backend.close() };
  }
  const devUrl = process.env.DEV_DB_URL ?? `http://127.0.0.1:${DEFAULT_DEV_DB_PORT}`;
  if (await devServerRunning(devUrl)) return { executor: httpExecutor(devUrl), target: `dev server ${devUrl}`, close: async () => undefined };
  const backend = await openBackend(undefined);
  return { executor: backendExecutor(backend), target: `PGlite ${PGLITE_DIR}`, close: () => backend.close() };
}
