/**
 * A bench database in a process of its own (`bench/chat.ts` spawns it): the migrated, seeded
 * in-memory database behind the dev server, as startBenchDatabase() makes it, so that PGlite's work
 * on the room's flushes does not run on the event loop of the bench's own WebSocket clients.
 * Prints "ready <url>" once it answers; stops on SIGTERM.
 */
import { startBenchDatabase } from "./lib";

const server = await startBenchDatabase();
console.log(`ready ${server.url}`);
process.once("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});
