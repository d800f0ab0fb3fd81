import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import type { Env } from "../env";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Where a query goes is decided by DATABASE_URL alone, per query, so two requests with different
 * configurations never race on the (global) neonConfig: a Neon host gets Neon's HTTPS endpoint, as
 * the driver does by default; a loopback host is the dev database server (scripts/dev-db), which
 * speaks the same protocol over plain HTTP on that host:port.
 */
neonConfig.fetchEndpoint = (host: string, port: number | string) =>
  LOCAL_HOSTS.has(host) ? `http://${host}:${port}/sql` : `https://${host.replace(/^[^.]+\./, "api.")}/sql`;

/**
 * drizzle over Neon's SQL-over-HTTP: one HTTP request per query, or per `db.batch([...])`
 * (one transaction). Built per request, so it is built without the relational schema: extracting
 * the relations of ~90 tables on every request costs more than it gives; queries import their
 * tables from ./schema and shape results with joins / json_agg (one round trip either way).
 */
export function createDb(env: Pick<Env, "DATABASE_URL">) {
  return drizzle({ client: neon(env.DATABASE_URL) });
}

export type Database = ReturnType<typeof createDb>;
