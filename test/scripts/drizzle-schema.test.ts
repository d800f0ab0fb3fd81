import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendExecutor } from "../../scripts/database";
import { createPgliteBackend, type Backend } from "../../scripts/dev-db/backends";
import { migrate, type SqlExecutor } from "../../scripts/migrations";
import * as schema from "../../src/db/schema";

/** drizzle column type -> what information_schema calls it. */
const sqlTypeOf = (t: string) =>
  t
    .replace(/\(.*\)$/, "")
    .replace(/^timestamp with time zone$/, "timestamp with time zone")
    .replace(/^varchar$/, "character varying")
    .replace(/^char$/, "character")
    .replace(/^serial$/, "integer");

const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable).map((t) => getTableConfig(t));

describe("the drizzle schema mirrors the migrations", () => {
  let backend: Backend;
  let db: SqlExecutor;
  let columns: Map<string, { nullable: boolean; type: string; hasDefault: boolean }>;

  beforeAll(async () => {
    backend = await createPgliteBackend();
    db = backendExecutor(backend);
    await migrate(db);
    const rows = await db.query(
      `SELECT c.table_name, c.column_name, c.is_nullable, c.data_type, c.udt_name, c.column_default IS NOT NULL OR c.is_generated = 'ALWAYS' OR c.is_identity = 'YES'
         FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name
        WHERE c.table_schema = 'public' AND NOT k.relispartition`,
    );
    columns = new Map(rows.map(([t, c, n, type, udt, d]) => [`${t}.${c}`, { nullable: n === "YES", type: type === "USER-DEFINED" ? udt! : type === "ARRAY" ? `${udt!.slice(1)}[]` : type!, hasDefault: d === "true" }]));
  });
  afterAll(() => backend.close());

  it("declares a table for every table the migrations create", async () => {
    const declared = new Set(tables.map((t) => t.name));
    const actual = (await db.query("SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace AND NOT relispartition AND relname <> 'schema_migrations'")).map((r) => r[0]!);
    expect(actual.filter((t) => !declared.has(t))).toEqual([]);
  });

  it.each(tables.map((t) => [t.name, t] as const))("%s: every column exists with the same nullability and type", (_name, table) => {
    const mismatches: string[] = [];
    for (const col of table.columns) {
      const actual = columns.get(`${table.name}.${col.name}`);
      if (!actual) {
        mismatches.push(`${col.name}: not in the database`);
        continue;
      }
      if (actual.nullable === col.notNull && !col.primary) mismatches.push(`${col.name}: nullable ${actual.nullable} in SQL`);
      const declaredType = col.getSQLType();
      const wantArray = declaredType.endsWith("[]");
      const base = sqlTypeOf(declaredType.replace(/\[\]$/, ""));
      const actualBase = actual.type.replace(/\[\]$/, "");
      const sameBase = actualBase === base || (actualBase.startsWith("_") ? actualBase.slice(1) : actualBase) === base
        || ({ varchar: "character varying", bpchar: "character", int4: "integer", int8: "bigint", numeric: "numeric", text: "text", uuid: "uuid", bool: "boolean", timestamptz: "timestamp with time zone", jsonb: "jsonb", date: "date", inet: "inet", int2: "smallint", float8: "double precision", tsvector: "tsvector" } as Record<string, string>)[actualBase] === base;
      if (!sameBase || wantArray !== actual.type.endsWith("[]")) mismatches.push(`${col.name}: ${declaredType} in drizzle, ${actual.type} in SQL`);
    }
    const declared = new Set(table.columns.map((c) => c.name));
    for (const key of columns.keys()) {
      const [t, c] = key.split(".");
      if (t === table.name && !declared.has(c!)) mismatches.push(`${c}: in SQL, missing from drizzle`);
    }
    expect(mismatches).toEqual([]);
  });
});
