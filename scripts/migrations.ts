import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** What the migration runner needs from a database: multi-statement SQL and a parameterised query. */
export interface SqlExecutor {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: (string | null)[]): Promise<(string | null)[][]>;
}

export interface Migration {
  version: string; // "0004"
  name: string; // "0004_streaming"
  up: string;
  down: string;
  checksum: string;
}

export const migrationsDir = new URL("../migrations/", import.meta.url).pathname;

const LOCK_KEY = 7_720_250; // pg_advisory_xact_lock key: one migrator at a time per database

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f) && !f.endsWith(".down.sql")).sort();
  return Promise.all(
    names.map(async (file) => {
      const name = file.replace(/\.sql$/, "");
      const up = await readFile(join(dir, file), "utf8");
      const down = await readFile(join(dir, `${name}.down.sql`), "utf8").catch(() => {
        throw new Error(`${name}.sql has no ${name}.down.sql`);
      });
      return { version: name.slice(0, 4), name, up, down, checksum: createHash("sha256").update(up).digest("hex") };
    }),
  );
}

async function ensureTable(db: SqlExecutor): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version VARCHAR(4) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    checksum CHAR(64) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`);
}

async function applied(db: SqlExecutor): Promise<Map<string, { name: string; checksum: string }>> {
  const rows = await db.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  return new Map(rows.map(([version, name, checksum]) => [version!, { name: name!, checksum: checksum! }]));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function inTransaction(db: SqlExecutor, body: string): Promise<void> {
  try {
    await db.exec(`BEGIN;\nSELECT pg_advisory_xact_lock(${LOCK_KEY});\n${body}\nCOMMIT;`);
  } catch (err) {
    await db.exec("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the names applied. */
export async function migrate(db: SqlExecutor, log: (line: string) => void = () => undefined): Promise<string[]> {
  await ensureTable(db);
  const done = await applied(db);
  const out: string[] = [];
  for (const m of await loadMigrations()) {
    const prior = done.get(m.version);
    if (prior) {
      if (prior.checksum.trim() !== m.checksum) log(`warning: ${m.name}.sql changed after it was applied`);
      continue;
    }
    await inTransaction(
      db,
      `${m.up}\n;INSERT INTO schema_migrations (version, name, checksum) VALUES (${quote(m.version)}, ${quote(m.name)}, ${quote(m.checksum)});`,
    );
    log(`applied ${m.name}`);
    out.push(m.name);
  }
  return out;
}

/** Reverts the last `steps` applied migrations (all of them with Infinity), newest first. */
export async function rollback(db: SqlExecutor, steps = 1, log: (line: string) => void = () => undefined): Promise<string[]> {
  await ensureTable(db);
  const done = await applied(db);
  const all = new Map((await loadMigrations()).map((m) => [m.version, m]));
  const versions = [...done.keys()].sort().reverse().slice(0, steps);
  const out: string[] = [];
  for (const version of versions) {
    const m = all.get(version);
    if (!m) throw new Error(`migration ${version} (${done.get(version)!.name}) is applied but its files are gone`);
    await inTransaction(db, `${m.down}\n;DELETE FROM schema_migrations WHERE version = ${quote(version)};`);
    log(`reverted ${m.name}`);
    out.push(m.name);
  }
  return out;
}

export async function status(db: SqlExecutor): Promise<{ name: string; applied: boolean }[]> {
  await ensureTable(db);
  const done = await applied(db);
  return (await loadMigrations()).map((m) => ({ name: m.name, applied: done.has(m.version) }));
}
