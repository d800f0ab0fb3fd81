import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import type { Env } from "../env";
import * as schema from "./schema";

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
 * (one transaction).
 */
export function createDb(env: Pick<Env, "DATABASE_URL">) {
  return drizzle({ client: neon(env.DATABASE_URL), schema });
}

export type Database = ReturnType<typeof createDb>;
