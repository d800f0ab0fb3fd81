/**
 * Builds the web app (web/, Vite) into web/dist, which wrangler.toml's [assets] serves — and which
 * wrangler refuses to run without. Used by `npm run dev` (a build, then rebuilds on change), the
 * worker tests' global setup and the benchmarks (`ensureWebBuilt`), and `npm run bench -- web`.
 */
import { access, mkdtemp, rename, rm } from "node:fs/promises";
import type { Rolldown } from "vite";

const root = new URL("../", import.meta.url).pathname;
export const WEB_DIR = `${root}web`;
export const WEB_DIST = `${root}web/dist`;

/** One production build into `outDir` (absolute; web/dist by default). */
export async function buildWeb(outDir = WEB_DIST, logLevel: "info" | "warn" = "warn"): Promise<void> {
  const { build } = await import("vite");
  await build({ root: WEB_DIR, configFile: `${WEB_DIR}/vite.config.ts`, logLevel, build: { outDir, emptyOutDir: true } });
}

/**
 * Build, then rebuild whenever a source file changes (`vite build --watch`). Resolves once the
 * first build is written, with a function that stops watching.
 */
export async function watchWeb(log: (line: string) => void): Promise<() => Promise<void>> {
  const { build } = await import("vite");
  const watcher = (await build({
    root: WEB_DIR,
    configFile: `${WEB_DIR}/vite.config.ts`,
    logLevel: "warn",
    build: { outDir: WEB_DIST, emptyOutDir: true, watch: {} },
  })) as Rolldown.RolldownWatcher;
  await new Promise<void>((resolve, reject) => {
    let first = true;
    watcher.on("event", (event) => {
      if (event.code === "END") {
        if (first) resolve();
        else log("web app rebuilt");
        first = false;
      } else if (event.code === "ERROR") {
        const message = event.error instanceof Error ? event.error.message : String(event.error);
        if (first) reject(new Error(`web app build failed: ${message}`));
        else log(`web app build failed: ${message}`);
        first = false;
      }
      if ("result" in event && event.result && typeof event.result.close === "function") void event.result.close();
    });
  });
  return () => watcher.close();
}

/**
 * Builds web/dist when it is missing (a fresh clone), into a temporary directory renamed into
 * place, so concurrent callers never see half a build. A build already there is kept.
 */
export async function ensureWebBuilt(): Promise<void> {
  try {
    await access(`${WEB_DIST}/index.html`);
    return;
  } catch {
    /* not built yet */
  }
  const tmp = await mkdtemp(`${WEB_DIR}/.dist-`);
  try {
    await buildWeb(tmp);
    await rename(tmp, WEB_DIST).catch((err: NodeJS.ErrnoException) => {
      // Another caller built it meanwhile: theirs is as good as ours.
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
