import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendExecutor } from "../../scripts/database";
import { createPgliteBackend, type Backend } from "../../scripts/dev-db/backends";
import { migrate, type SqlExecutor } from "../../scripts/migrations";
import { DEMO_PASSWORD, demoUsers, seed } from "../../scripts/seed";

const rowCounts = async (db: SqlExecutor) => {
  const tables = (await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '%\\_20%' ORDER BY 1")).map((r) => r[0]!);
  const counts: Record<string, string> = {};
  for (const t of tables) counts[t] = (await db.query(`SELECT count(*) FROM "${t}"`))[0]![0]!;
  return counts;
};

describe("demo data", () => {
  let backend: Backend;
  let db: SqlExecutor;
  beforeAll(async () => {
    backend = await createPgliteBackend();
    db = backendExecutor(backend);
    await migrate(db);
  });
  afterAll(() => backend.close());

  it("creates the demo world with working logins and consistent counters", async () => {
    await seed(db);
    const users = await db.query("SELECT username, password_hash FROM users ORDER BY username");
    expect(users.map((u) => u[0])).toEqual(demoUsers.map((u) => u.username).sort());
    expect(await bcrypt.compare(DEMO_PASSWORD, users[0]![1]!)).toBe(true);
    const [counts] = await db.query(
      `SELECT (SELECT follower_count FROM user_profiles WHERE user_id = $1), (SELECT member_count FROM rooms WHERE slug = 'studio-talk'),
              (SELECT count(*) FROM messages), (SELECT usage_count FROM hashtags WHERE tag = 'piano')`,
      [demoUsers[0].id],
    );
    expect(counts).toEqual(["4", "4", "4", "1"]);
  });

  it("is idempotent: a second run changes no table", async () => {
    const before = await rowCounts(db);
    await seed(db);
    expect(await rowCounts(db)).toEqual(before);
  });
});
