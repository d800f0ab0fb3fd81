import pg from "pg";
import type { Backend, Statement } from "../scripts/dev-db/backends";
import { startDevDatabaseServer, type DevDatabaseServer } from "../scripts/dev-db/server";
import type { Miniflare } from "miniflare";
import { buildWorker, taggedUrl, workerInWorkerd } from "./lib";

/**
 * The harness of the hot-query suites (bench/listening-queries.ts, bench/community-queries.ts): the
 * built Worker runs in workerd against a scratch PostgreSQL database through the dev database
 * server, which records the statements each request sends; each captured round trip is then
 * replayed directly on PostgreSQL with other entities substituted in its parameters, timed, and
 * EXPLAINed (indexes read, Seq Scans on big relations).
 */
export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// The JWT_SECRET binding bench/lib.ts gives the Worker in workerd.
export const JWT_SECRET = "bench-only-jwt-secret-0123456789abcdefghij";
// The auth state read of a signed-in request (cached at the edge on the hot path).
const AUTH_STATEMENT = /FROM users WHERE id = \$1$/;

/** One round trip: a query, or a batch of statements. */
export interface Unit {
  statements: Statement[];
}
/** The entities one sample is about, by name; sample 0's values are replaced by sample i's. */
export type Binding = Record<string, string>;
export type Params = (string | null)[][];

export async function reachable(url = ADMIN_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The rows of `sql`, each as an array of strings. */
export async function ids(client: pg.Client, sql: string): Promise<string[][]> {
  return (await client.query({ text: sql, rowMode: "array" })).rows as string[][];
}

/**
 * The built Worker in workerd against `backend` (which the dev server then owns and closes), and
 * `capture`, which returns the round trips a piece of work sent (auth state reads left out).
 */
export async function capturingWorker(backend: Backend, tag: string): Promise<{
  server: DevDatabaseServer;
  mf: Miniflare;
  capture: <T>(work: () => Promise<T>) => Promise<{ result: T; units: Unit[]; roundTrips: number }>;
}> {
  let sink: Unit[] | null = null;
  const recording: Backend = {
    kind: backend.kind,
    query: (s) => (sink?.push({ statements: [s] }), backend.query(s)),
    batch: (ss, o) => (sink?.push({ statements: ss }), backend.batch(ss, o)),
    exec: (sql) => backend.exec(sql),
    close: () => backend.close(),
  };
  const server = await startDevDatabaseServer(recording, { log: false });
  const build = await buildWorker();
  const mf = workerInWorkerd(build.script, taggedUrl(server, tag));
  const capture = async <T>(work: () => Promise<T>) => {
    const all: Unit[] = [];
    sink = all;
    try {
      const result = await work();
      const units = all.filter((u) => !(u.statements.length === 1 && AUTH_STATEMENT.test(u.statements[0]!.query.trim())));
      return { result, units, roundTrips: all.length };
    } finally {
      sink = null;
    }
  };
  return { server, mf, capture };
}

/** `unit`'s parameters for binding `b`: every value of sample 0's binding `b0` replaced by b's. */
export const paramsFor = (unit: Unit, b0: Binding, b: Binding): Params =>
  unit.statements.map((s) =>
    (s.params ?? []).map((p) => (p === null ? p : Object.keys(b0).reduce((v, key) => (b[key] === undefined ? v : v.replaceAll(b0[key]!, b[key]!)), p as string))),
  );

/**
 * Times `unit` for samples 1..samples (inside `begin` … ROLLBACK when `begin` is given), stopping
 * after capMs once minSamples are in. Failed samples are counted, the first reported.
 */
export async function replay(
  client: pg.Client,
  unit: Unit,
  params: (i: number) => Params,
  opts: { samples: number; begin?: string; capMs?: number; minSamples?: number; onFailure?: (i: number, err: unknown) => void },
): Promise<{ times: number[]; failures: number }> {
  const times: number[] = [];
  let failures = 0;
  const started = performance.now();
  for (let i = 1; i <= opts.samples; i++) {
    if (opts.capMs !== undefined && i > (opts.minSamples ?? 0) && performance.now() - started > opts.capMs) break;
    const values = params(i);
    if (opts.begin) await client.query(opts.begin);
    const t = performance.now();
    try {
      for (const [j, s] of unit.statements.entries()) await client.query({ text: s.query, values: values[j] });
      times.push(performance.now() - t);
    } catch (err) {
      if (failures++ === 0) opts.onFailure?.(i, err);
    } finally {
      if (opts.begin) await client.query("ROLLBACK");
    }
  }
  return { times, failures };
}

/** The indexes `unit`'s EXPLAIN (FORMAT JSON) plans read, and their Seq Scans on relations of ≥ 10 000 rows. */
export async function planOf(client: pg.Client, unit: Unit, params: Params): Promise<{ indexes: string[]; scans: string[] }> {
  const indexes: string[] = [];
  const scans: string[] = [];
  for (const [i, s] of unit.statements.entries()) {
    if (/^\s*(BEGIN|COMMIT|SET)\b/i.test(s.query)) continue;
    const plan = (await client.query({ text: `EXPLAIN (FORMAT JSON) ${s.query}`, values: params[i] })).rows[0]["QUERY PLAN"][0].Plan;
    const walk = async (node: Record<string, any>): Promise<void> => {
      if (node["Index Name"]) indexes.push(node["Index Name"] as string);
      if (node["Node Type"] === "Seq Scan") {
        const rel = node["Relation Name"] as string;
        const { rows } = await client.query("SELECT reltuples FROM pg_class WHERE relname = $1", [rel]);
        if (Number(rows[0]?.reltuples ?? 0) >= 10_000) scans.push(rel);
      }
      for (const child of node.Plans ?? []) await walk(child);
    };
    await walk(plan);
  }
  return { indexes: [...new Set(indexes)], scans: [...new Set(scans)] };
}

/**
 * A database on the admin server for one run: `name` reused when given, else a new one named
 * `<prefix>_<time>`. `release` drops it (unless kept) and closes the admin connection.
 */
export async function scratchDatabase(prefix: string, log: (line: string) => void, name?: string): Promise<{ dbName: string; url: string; release: (keep: boolean) => Promise<void> }> {
  const dbName = name ?? `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!name) await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const release = async (keep: boolean) => {
    if (keep) log(`kept database ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err) => log(`could not drop ${dbName}: ${err}`));
    await admin.end().catch(() => undefined);
  };
  return { dbName, url: url.toString(), release };
}
