/**
 * `npm run dev`: the whole platform locally, from a fresh clone.
 *   1. .dev.vars from .dev.vars.example if missing (local secrets for wrangler dev);
 *   2. the dev database server on 127.0.0.1:4444 — PGlite in .data/ (or the PostgreSQL of
 *      DATABASE_URL when that names a real server) — migrated and seeded with demo data;
 *   3. the web app built into web/dist (served by the Worker's static assets), rebuilt on change;
 *   4. `wrangler dev` with every binding (R2, Queues, Durable Objects, cron) simulated by miniflare.
 */
import { spawn } from "node:child_process";
import { access, appendFile, copyFile, readFile } from "node:fs/promises";
import { backendExecutor, DEFAULT_DEV_DB_PORT, devServerRunning, isRealPostgresUrl, openBackend } from "./database";
import { startDevDatabaseServer } from "./dev-db/server";
import { migrate } from "./migrations";
import { seed } from "./seed";
import { seedMedia } from "./seed-media";
import { watchWeb } from "./web-build";

const root = new URL("../", import.meta.url).pathname;
const port = Number(process.env.DEV_DB_PORT ?? DEFAULT_DEV_DB_PORT);
const workerPort = process.env.PORT ?? "8787";

try {
  await access(`${root}.dev.vars`);
  // Keys added to the example since this .dev.vars was made are appended, so an old checkout
  // keeps working; values already set are never touched.
  const [mine, example] = await Promise.all([readFile(`${root}.dev.vars`, "utf8"), readFile(`${root}.dev.vars.example`, "utf8")]);
  const keyOf = (line: string) => /^\s*([A-Z0-9_]+)\s*=/.exec(line)?.[1];
  const have = new Set(mine.split("\n").map(keyOf).filter(Boolean));
  const missing = example.split("\n").filter((line) => keyOf(line) && !have.has(keyOf(line)));
  if (missing.length) {
    await appendFile(`${root}.dev.vars`, `${mine.endsWith("\n") ? "" : "\n"}${missing.join("\n")}\n`);
    console.log(`[dev] added to .dev.vars: ${missing.map(keyOf).join(", ")}`);
  }
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  await copyFile(`${root}.dev.vars.example`, `${root}.dev.vars`);
  console.log("[dev] created .dev.vars from .dev.vars.example");
}

if (await devServerRunning(`http://127.0.0.1:${port}`)) {
  console.error(`[dev] port ${port} already serves a dev database: stop the other \`npm run dev\` first.`);
  process.exit(1);
}

const url = process.env.DATABASE_URL;
const backend = await openBackend(isRealPostgresUrl(url, port) ? url : undefined);
const db = backendExecutor(backend);
await migrate(db, (line) => console.log(`[dev-db] ${line}`));
await seed(db, (line) => console.log(`[seed] ${line}`));
const server = await startDevDatabaseServer(backend, { port });
console.log(`[dev-db] ${backend.kind} at ${server.url}/sql`);
const stopWeb = await watchWeb((line) => console.log(`[web] ${line}`));
console.log("[web] built web/dist; rebuilding on change");

const wrangler = spawn(`${root}scripts/wrangler.sh`, ["dev", "--port", workerPort, "--ip", "127.0.0.1", "--test-scheduled", "--var", `DATABASE_URL:postgres://veza:veza@127.0.0.1:${port}/veza`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  wrangler.kill("SIGINT");
  await stopWeb();
  await server.close();
  process.exit(code);
}
wrangler.on("exit", (code) => void stop(code ?? 0));

// Demo tracks go in through the Worker itself (upload → queue → HLS), once it answers
// (VEZA_DEMO_MEDIA=0 skips them: the e2e tests upload their own).
const base = `http://127.0.0.1:${workerPort}`;
if (process.env.VEZA_DEMO_MEDIA !== "0") void (async () => {
  for (let tries = 0; tries < 240 && !stopping; tries++) {
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) {
      await seedMedia(base, (line) => console.log(`[seed] ${line}`)).catch((err) => console.error(`[seed] demo tracks: ${err instanceof Error ? err.message : err}`));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
})();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
