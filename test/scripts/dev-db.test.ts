import { neon } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresUrl } from "../../scripts/database";
import { createPgliteBackend, createPostgresBackend, createScratchDatabase, type Backend } from "../../scripts/dev-db/backends";
import { startDevDatabaseServer, type DevDatabaseServer } from "../../scripts/dev-db/server";
import "../../src/db/client"; // the Worker's endpoint routing: loopback DATABASE_URLs go to the dev server

/**
 * The dev database server must be indistinguishable from Neon for the driver the Worker uses:
 * the same values after parsing, the same error fields, batches as transactions.
 */
function suite(name: string, open: () => Promise<{ backend: Backend; cleanup: () => Promise<void> }>) {
  describe(`dev database server on ${name}`, () => {
    let server: DevDatabaseServer;
    let cleanup: () => Promise<void>;
    let sql: ReturnType<typeof neon>;
    let url: string;

    beforeAll(async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      server = await startDevDatabaseServer(opened.backend, { log: false });
      url = `postgres://veza:veza@127.0.0.1:${server.port}/veza`;
      sql = neon(url);
      await sql.query(`CREATE TABLE t_${"proto"} (id int8 PRIMARY KEY, n numeric(10,2), j jsonb, at timestamptz, b bytea, tags text[], ok boolean,
        ip inet, u uuid, d date, CONSTRAINT chk_positive CHECK (id > 0))`);
    });
    afterAll(async () => {
      await server?.close();
      await cleanup?.();
    });

    it("round-trips every common type exactly as the Neon driver parses it", async () => {
      const at = new Date("2026-03-04T05:06:07.891Z");
      await sql.query("INSERT INTO t_proto VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", [
        "9007199254740993", "12.50", JSON.stringify({ a: [1, "x"] }), at, Buffer.from([0, 255, 16]), ["a", "b,c"], true,
        "203.0.113.7", "7b0a9d6e-2f4b-4c55-9d8e-3a1b2c3d4e5f", "2026-01-31",
      ]);
      const [row] = (await sql.query("SELECT * FROM t_proto WHERE id = 9007199254740993")) as Record<string, unknown>[];
      expect(row).toEqual({
        id: "9007199254740993", n: "12.50", j: { a: [1, "x"] }, at, b: Buffer.from([0, 255, 16]), tags: ["a", "b,c"], ok: true,
        ip: "203.0.113.7", u: "7b0a9d6e-2f4b-4c55-9d8e-3a1b2c3d4e5f", d: new Date("2026-01-31T00:00:00"),
      });
    });

    it("reports Postgres errors with their fields, as Neon does", async () => {
      await expect(sql.query("INSERT INTO t_proto (id) VALUES (-1)")).rejects.toMatchObject({ code: "23514", constraint: "chk_positive", table: "t_proto" });
      await expect(sql.query("SELECT * FROM no_such_table")).rejects.toMatchObject({ code: "42P01" });
    });

    it("runs a batch as one transaction: all or nothing", async () => {
      await expect(
        sql.transaction([sql`INSERT INTO t_proto (id) VALUES (100)`, sql`INSERT INTO t_proto (id) VALUES (-100)`]),
      ).rejects.toMatchObject({ code: "23514" });
      expect(await sql.query("SELECT count(*)::int AS n FROM t_proto WHERE id = 100")).toEqual([{ n: 0 }]);
      const [a, b] = await sql.transaction([sql`INSERT INTO t_proto (id) VALUES (101) RETURNING id`, sql`SELECT count(*)::int AS n FROM t_proto WHERE id = 101`]);
      expect(a).toEqual([{ id: "101" }]);
      expect(b).toEqual([{ n: 1 }]);
    });

    it("counts statements and round trips, overall and per connection-string user", async () => {
      const before = server.stats();
      const tagged = neon(url.replace("veza:veza@", "rt_counter:x@"));
      await tagged.query("SELECT 1");
      await tagged.transaction([tagged`SELECT 1`, tagged`SELECT 2`, tagged`SELECT 3`]);
      const after = server.stats();
      expect(after.requests - before.requests).toBe(2);
      expect(after.queries - before.queries).toBe(4);
      const res = await fetch(`${server.url}/stats?tag=rt_counter`);
      expect(await res.json()).toEqual({ queries: 4, requests: 2 });
    });

    it("simulates an outage on demand, which the driver sees as a server error", async () => {
      await fetch(`${server.url}/outage`, { method: "POST", body: JSON.stringify({ on: true }) });
      await expect(sql.query("SELECT 1")).rejects.toThrow(/HTTP status 503/);
      await fetch(`${server.url}/outage`, { method: "POST", body: JSON.stringify({ on: false }) });
      expect(await sql.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    });
  });
}

suite("PGlite", async () => {
  const backend = await createPgliteBackend();
  return { backend, cleanup: async () => undefined };
});

const pgUrl = process.env.TEST_DATABASE_URL;
if (isPostgresUrl(pgUrl)) {
  suite("PostgreSQL", async () => {
    const scratch = await createScratchDatabase(pgUrl, "veza_devdb");
    return { backend: await createPostgresBackend(scratch.url), cleanup: () => scratch.drop() };
  });
}
