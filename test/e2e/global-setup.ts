/**
 * Starts the platform for the e2e tests the way `npm run dev` does — scripts/dev.ts itself: dev
 * database with migrations and demo data, the web app built into web/dist, `wrangler dev` — but
 * isolated: PGlite and wrangler's state in a fresh temporary directory, free ports for the dev
 * database, the Worker and its inspector, and no demo tracks (tests upload their own). Waits for
 * /health and the app shell; tears everything down afterwards. The log is kept in
 * $TMP/veza-e2e-*\/dev.log while it runs and printed when the start fails.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/free-port";
import { startStripeStandIn } from "../../scripts/stripe-dev";

const root = new URL("../../", import.meta.url).pathname;
const START_TIMEOUT_MS = 240_000;

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), "veza-e2e-"));
  const [dbPort, workerPort, inspectorPort] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${workerPort}`;
  const logPath = join(dir, "dev.log");
  // Stripe's API, as far as checkout goes: the machine cannot reach api.stripe.com (scripts/stripe-dev.ts).
  const stripe = await startStripeStandIn();
  const log = createWriteStream(logPath);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VEZA_PGLITE_DIR: join(dir, "pglite"),
    DEV_DB_PORT: String(dbPort),
    PORT: String(workerPort),
    VEZA_DEMO_MEDIA: "0",
    WRANGLER_SEND_METRICS: "false",
    CI: "1",
  };
  // Never the developer's own PostgreSQL: the e2e platform lives and dies in `dir`.
  delete env.DATABASE_URL;

  const dev = spawn(
    `${root}node_modules/.bin/tsx`,
    [
      "scripts/dev.ts",
      "--persist-to", join(dir, "wrangler-state"),
      "--inspector-port", String(inspectorPort),
      "--var", `APP_URL:${base}`,
      "--var", `CORS_ORIGINS:${base}`,
      "--var", "MAIL_PROVIDER:dev",
      "--var", "ENVIRONMENT:development",
      "--var", "STRIPE_SECRET_KEY:sk_test_e2e",
      "--var", `STRIPE_API_URL:${stripe.url}`,
      "--show-interactive-dev-session=false",
      "--log-level", "warn",
    ],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  dev.stdout.pipe(log);
  dev.stderr.pipe(log);
  let exited: number | null | undefined;
  dev.on("exit", (code) => {
    exited = code;
  });

  async function stop() {
    const started = Date.now();
    if (exited === undefined && dev.pid) {
      // scripts/dev.ts stops wrangler and the database on SIGTERM; the group, if it does not.
      process.kill(dev.pid, "SIGTERM");
      const done = await Promise.race([
        new Promise<boolean>((resolve) => dev.once("exit", () => resolve(true))),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
      ]);
      if (!done) {
        try {
          process.kill(-dev.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
    log.end();
    await stripe.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    console.log(`[e2e] platform stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited !== undefined) throw new Error(`scripts/dev.ts exited (${exited}) before the platform answered`);
      if (Date.now() > deadline) throw new Error(`the platform did not answer ${base}/health within ${START_TIMEOUT_MS / 1000} s`);
      const healthy = await fetch(`${base}/health`).then((r) => r.ok, () => false);
      const shell = healthy && (await fetch(base, { headers: { "Sec-Fetch-Mode": "navigate" } }).then(async (r) => r.ok && (await r.text()).includes('id="app"'), () => false));
      if (shell) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (err) {
    const output = await readFile(logPath, "utf8").catch(() => "");
    console.error(`[e2e] platform log:\n${output.split("\n").slice(-60).join("\n")}`);
    await stop();
    throw err;
  }

  console.log(`[e2e] platform at ${base} (data in ${dir})`);
  project.provide("baseUrl", base);
  project.provide("stripeUrl", stripe.url);
  project.provide("platformLog", logPath);
  return stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The platform's output (wrangler dev, the database), for a failed test's report. */
    platformLog: string;
    baseUrl: string;
    /** The Stripe stand-in (`GET /__sessions` lists the Checkout Sessions the platform created). */
    stripeUrl: string;
  }
}
