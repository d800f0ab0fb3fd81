import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Backend, IsolationLevel, Statement } from "./backends";

/**
 * A local stand-in for Neon's SQL-over-HTTP endpoint, so the Worker's production client
 * (`@neondatabase/serverless` + drizzle neon-http) runs unchanged against PGlite or PostgreSQL.
 *
 *   POST /sql      {query, params} or {queries: [...]}  -> Neon's result shape; errors as HTTP 400
 *                  with the Postgres error fields (code, detail, constraint, ...)
 *   POST /exec     {sql}  multi-statement SQL (migrations, test fixtures)
 *   GET  /stats    {queries, requests}: monotonic counters of statements and /sql requests served,
 *                  so tests and benchmarks can count database round trips per API call;
 *                  `?tag=x` gives the counters of the requests whose connection string's user is `x`
 *                  (a caller that puts its own user name in DATABASE_URL counts exactly its own)
 *   POST /outage   {on: boolean}  while on, /sql answers 503 — how tests make the database unreachable
 *   GET  /health
 */
export interface DevDatabaseServer {
  url: string;
  port: number;
  stats(): { queries: number; requests: number };
  close(): Promise<void>;
}

const errorFields = [
  "severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery", "where",
  "schema", "table", "column", "dataType", "constraint", "file", "line", "routine",
] as const;

const MAX_BODY = 64 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw Object.assign(new Error("request body is not JSON"), { status: 400 });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function asStatement(value: unknown): Statement {
  const v = value as { query?: unknown; params?: unknown };
  if (!v || typeof v.query !== "string") throw Object.assign(new Error("each statement needs a string `query`"), { status: 400 });
  if (v.params !== undefined && !Array.isArray(v.params)) throw Object.assign(new Error("`params` must be an array"), { status: 400 });
  return { query: v.query, params: (v.params as (string | null)[] | undefined) ?? [] };
}

function pgErrorBody(err: unknown): Record<string, unknown> | null {
  const e = err as Record<string, unknown>;
  if (!e || typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  const body: Record<string, unknown> = { message: String(e.message ?? "database error") };
  for (const f of errorFields) if (e[f] !== undefined && e[f] !== null) body[f] = e[f];
  return body;
}

export async function startDevDatabaseServer(backend: Backend, options: { port?: number; host?: string; log?: boolean } = {}): Promise<DevDatabaseServer> {
  let queries = 0;
  let requests = 0;
  let outage = false;
  const tagged = new Map<string, { queries: number; requests: number }>();
  const countFor = (req: IncomingMessage) => {
    const header = req.headers["neon-connection-string"];
    let tag = "";
    try {
      tag = typeof header === "string" ? decodeURIComponent(new URL(header).username) : "";
    } catch {
      tag = "";
    }
    let counts = tagged.get(tag);
    if (!counts) tagged.set(tag, (counts = { queries: 0, requests: 0 }));
    return counts;
  };

  async function handleSql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const counts = countFor(req);
    counts.requests++;
    if (outage) return send(res, 503, { message: "database unavailable (simulated outage)" });
    const body = (await readJson(req)) as { queries?: unknown[] };
    try {
      if (Array.isArray(body?.queries)) {
        const statements = body.queries.map(asStatement);
        queries += statements.length;
        counts.queries += statements.length;
        const isolation = req.headers["neon-batch-isolation-level"] as IsolationLevel | undefined;
        const readOnly = req.headers["neon-batch-read-only"] === "true";
        const results = await backend.batch(statements, { isolation, readOnly });
        return send(res, 200, { results });
      }
      const statement = asStatement(body);
      queries++;
      counts.queries++;
      return send(res, 200, await backend.query(statement));
    } catch (err) {
      const pgBody = pgErrorBody(err);
      if (pgBody) return send(res, 400, pgBody);
      throw err;
    }
  }

  const server: Server = createServer((req, res) => {
    const [path, search = ""] = (req.url ?? "/").split("?");
    const route = `${req.method} ${path}`;
    const work = (async () => {
      switch (route) {
        case "POST /sql":
          return handleSql(req, res);
        case "POST /exec": {
          const { sql } = (await readJson(req)) as { sql?: unknown };
          if (typeof sql !== "string") return send(res, 400, { message: "`sql` must be a string" });
          try {
            await backend.exec(sql);
            return send(res, 200, { ok: true });
          } catch (err) {
            const pgBody = pgErrorBody(err);
            if (pgBody) return send(res, 400, pgBody);
            throw err;
          }
        }
        case "GET /stats": {
          const tag = new URLSearchParams(search).get("tag");
          if (tag !== null) return send(res, 200, tagged.get(tag) ?? { queries: 0, requests: 0 });
          return send(res, 200, { queries, requests });
        }
        case "POST /outage": {
          const { on } = (await readJson(req)) as { on?: unknown };
          outage = on === true;
          return send(res, 200, { outage });
        }
        case "GET /health":
          return send(res, 200, { ok: true, backend: backend.kind });
        default:
          return send(res, 404, { message: `no route ${route}` });
      }
    })();
    work.catch((err: Error & { status?: number }) => {
      if (options.log !== false) console.error("[dev-db]", err);
      if (!res.headersSent) send(res, err.status ?? 500, { message: err.message });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    stats: () => ({ queries, requests }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}
