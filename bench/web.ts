import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildWeb } from "../scripts/web-build";
import type { Row } from "./lib";

/** Issue 11's budget: the app shell's first load, JS + CSS, gzip (hls.js and lazy screens excluded). */
const SHELL_BUDGET_BYTES = 100 * 1024;

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** The files index.html loads on first load: module scripts, stylesheets and module preloads. */
export function firstLoadFiles(html: string): string[] {
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const url = tag.startsWith("<script") ? attr("src") : /\brel="(stylesheet|modulepreload)"/.test(tag) ? attr("href") : undefined;
    if (url && /\.(m?js|css)(\?|$)/.test(url) && !/^[a-z]+:/i.test(url) && !url.startsWith("//")) files.add(url.replace(/^\//, "").replace(/\?.*$/, ""));
  }
  return [...files];
}

/**
 * `npm run bench -- web`: builds the web app afresh (into a temporary directory) and sums the gzip
 * size (level 9) of what index.html loads before anything else: its module script, its stylesheet
 * and its modulepreloads. Lazily loaded chunks (screens, hls.js) are listed apart, outside the budget.
 */
export async function webBench(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), "veza-web-bench-"));
  try {
    await buildWeb(dir);
    const html = await readFile(join(dir, "index.html"), "utf8");
    const shell = firstLoadFiles(html);
    if (!shell.some((f) => f.endsWith(".js"))) throw new Error("index.html loads no script: is the build broken?");
    const gz = async (file: string) => gzipSync(await readFile(join(dir, file)), { level: 9 }).length;

    let js = 0;
    let css = 0;
    for (const file of shell) {
      const size = await gz(file);
      if (file.endsWith(".css")) css += size;
      else js += size;
    }
    const lazy = (await readdir(join(dir, "assets"))).filter((f) => /\.(m?js|css)$/.test(f) && !shell.includes(`assets/${f}`));
    let lazyBytes = 0;
    for (const f of lazy) lazyBytes += await gz(`assets/${f}`);

    const total = js + css;
    return [
      { area: "web", metric: `app shell first load, JS + CSS gzip (${shell.length} files from index.html)`, value: kib(total), unit: "KiB", budget: "≤ 100 KiB", ok: total <= SHELL_BUDGET_BYTES },
      { area: "web", metric: "  of which JS", value: kib(js), unit: "KiB" },
      { area: "web", metric: "  of which CSS", value: kib(css), unit: "KiB" },
      { area: "web", metric: `lazy chunks, loaded on demand (${lazy.length} files; not in the budget)`, value: kib(lazyBytes), unit: "KiB" },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
