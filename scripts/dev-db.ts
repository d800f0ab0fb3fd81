/**
 * The local database: `tsx scripts/dev-db.ts` serves Neon's HTTP protocol on 127.0.0.1:4444
 * (DEV_DB_PORT), backed by PGlite in .data/pglite, or by the PostgreSQL of DATABASE_URL when that
 * is a postgres:// URL naming a real server. Migrates on start unless --no-migrate.
 */
import { backendExecutor, DEFAULT_DEV_DB_PORT, isRealPostgresUrl, openBackend } from "./database";
import { startDevDatabaseServer } from "./dev-db/server";
import { migrate } from "./migrations";

const port = Number(process.env.DEV_DB_PORT ?? DEFAULT_DEV_DB_PORT);
const url = process.env.DATABASE_URL;
const backend = await openBackend(isRealPostgresUrl(url, port) ? url : undefined);
if (!process.argv.includes("--no-migrate")) await migrate(backendExecutor(backend), (l) => console.log(`[dev-db] ${l}`));
const server = await startDevDatabaseServer(backend, { port });
console.log(`[dev-db] ${backend.kind} served at ${server.url}/sql`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await server.close();
    process.exit(0);
  });
}
