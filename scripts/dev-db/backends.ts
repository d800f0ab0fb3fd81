import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import pg from "pg";

/** One statement as Neon's HTTP protocol describes it: text plus already-serialised parameters. */
export interface Statement {
  query: string;
  params?: (string | null)[];
}

/** A result in Neon's wire shape: field descriptors and rows of raw text values (array mode). */
export interface WireResult {
  command: string;
  rowCount: number | null;
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
  rowAsArray: true;
}

export type IsolationLevel = "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";

export interface Backend {
  readonly kind: "pglite" | "postgres";
  query(statement: Statement): Promise<WireResult>;
  /** All statements in one transaction, like Neon's `{queries: [...]}` batch. */
  batch(statements: Statement[], options?: { isolation?: IsolationLevel; readOnly?: boolean }): Promise<WireResult[]>;
  /** Multi-statement SQL through the simple protocol (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const isolationSql: Record<IsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

function beginSql(options?: { isolation?: IsolationLevel; readOnly?: boolean }): string {
  const parts = ["BEGIN"];
  if (options?.isolation) parts.push(`ISOLATION LEVEL ${isolationSql[options.isolation]}`);
  if (options?.readOnly) parts.push("READ ONLY");
  return parts.join(" ");
}

/** The command tag's verb, as node-postgres reports it ("INSERT 0 1" -> "INSERT"). */
function commandOf(sql: string): string {
  const m = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(sql);
  return (m?.[1] ?? "").toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// PGlite (embedded, WASM). Its default parsers turn values into JS types and its serialisers
// re-encode parameters (JSON.stringify on a json param would double-encode the text Neon sends),
// so every known type OID gets an identity function: values cross the wire exactly as Postgres
// printed them. Unknown OIDs are already passed through untouched by PGlite.

type Identity = Record<number, (x: string) => string>;

function identityFor(db: PGlite): { parsers: Identity; serializers: Identity } {
  const id = (x: string) => x;
  const parsers: Identity = {};
  const serializers: Identity = {};
  const known = new Set<string>([
    ...Object.keys(pgliteTypes.parsers),
    ...Object.keys((db as unknown as { parsers: object }).parsers ?? {}),
    ...Object.keys((db as unknown as { serializers: object }).serializers ?? {}),
  ]);
  for (const key of known) {
    const oid = Number(key);
    if (Number.isInteger(oid)) {
      parsers[oid] = id;
      serializers[oid] = id;
    }
  }
  return { parsers, serializers };
}

export async function createPgliteBackend(dataDir?: string): Promise<Backend> {
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm, pgcrypto, unaccent } });
  const run = async (q: { query: (text: string, params?: unknown[], opts?: object) => Promise<any> }, s: Statement) => {
    const res = await q.query(s.query, s.params ?? [], { rowMode: "array", ...identityFor(db) });
    return {
      command: commandOf(s.query),
      rowCount: res.affectedRows ?? res.rows.length,
      fields: res.fields.map((f: { name: string; dataTypeID: number }) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: res.rows,
      rowAsArray: true,
    } satisfies WireResult;
  };
  return {
    kind: "pglite",
    query: (s) => run(db, s),
    async batch(statements, options) {
      return db.transaction(async (tx) => {
        if (options?.isolation || options?.readOnly) {
          await tx.query(beginSql(options).replace(/^BEGIN/, "SET TRANSACTION"));
        }
        const out: WireResult[] = [];
        for (const s of statements) out.push(await run(tx, s));
        return out;
      });
    },
    async exec(sql) {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// A real PostgreSQL server through node-postgres, with every type parser set to identity.

const rawTypes = { getTypeParser: () => (value: string) => value };

export async function createPostgresBackend(connectionString: string): Promise<Backend> {
  const pool = new pg.Pool({ connectionString, max: 10, types: rawTypes as never });
  const run = async (client: pg.Pool | pg.PoolClient, s: Statement): Promise<WireResult> => {
    const res = await client.query({ text: s.query, values: s.params ?? [], rowMode: "array", types: rawTypes as never });
    return {
      command: res.command ?? commandOf(s.query),
      rowCount: res.rowCount,
      fields: res.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: res.rows as (string | null)[][],
      rowAsArray: true,
    };
  };
  await pool.query("SELECT 1");
  return {
    kind: "postgres",
    query: (s) => run(pool, s),
    async batch(statements, options) {
      const client = await pool.connect();
      try {
        await client.query(beginSql(options));
        const out: WireResult[] = [];
        for (const s of statements) out.push(await run(client, s));
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      const client = await pool.connect();
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Creates a fresh, uniquely named database on the server of `adminUrl` and returns its URL. */
export async function createScratchDatabase(adminUrl: string, prefix = "veza_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
