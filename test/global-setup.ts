/**
 * Starts the dev database server for the test run on a fresh database — in-memory PGlite, or a
 * scratch database on the PostgreSQL server of TEST_DATABASE_URL — and applies every migration.
 * The Worker under test reaches it through DATABASE_URL (see vitest.config.ts).
 */
import type { TestProject } from "vitest/node";
import { backendExecutor, isPostgresUrl } from "../scripts/database";
import { createPgliteBackend, createPostgresBackend, createScratchDatabase } from "../scripts/dev-db/backends";
import { startDevDatabaseServer } from "../scripts/dev-db/server";
import { migrate } from "../scripts/migrations";

export default async function setup(project: TestProject) {
  const port = Number(process.env.VEZA_TEST_DB_PORT);
  const adminUrl = process.env.TEST_DATABASE_URL;
  const scratch = isPostgresUrl(adminUrl) ? await createScratchDatabase(adminUrl) : null;
  const backend = scratch ? await createPostgresBackend(scratch.url) : await createPgliteBackend();
  await migrate(backendExecutor(backend));
  const server = await startDevDatabaseServer(backend, { port, log: false });
  project.provide("devDbUrl", server.url);
  console.log(`[test] database: ${scratch ? "PostgreSQL (scratch database)" : "PGlite (in memory)"} at ${server.url}`);
  return async () => {
    await server.close();
    await scratch?.drop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    devDbUrl: string;
  }
}
