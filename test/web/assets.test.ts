import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";

/**
 * The web app is served by Workers static assets (wrangler.toml [assets], web/dist): the shell at
 * `/`, the same shell for any client-side route a browser navigates to, and the Worker first for
 * every path it owns, so API errors stay problem+json. `exports.default.fetch` reaches the Worker
 * only (vitest-pool-workers does not route through assets), so the assets side is checked through
 * the ASSETS binding; the routing through both is exercised end to end by test/e2e.
 */

const navigate = { headers: { "Sec-Fetch-Mode": "navigate", Accept: "text/html" } };

async function expectShell(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).toContain('<div id="app"></div>');
  expect(html).toMatch(/<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/);
  return html;
}

function runWorkerFirst(): string[] {
  const line = /^run_worker_first\s*=\s*(\[.*\])\s*$/m.exec(wranglerToml);
  if (!line) throw new Error("wrangler.toml has no run_worker_first list");
  return JSON.parse(line[1]!) as string[];
}

/** Whether a run_worker_first pattern list sends `path` to the Worker (`*` matches anything). */
function workerFirst(path: string, patterns: string[]): boolean {
  const match = (p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(path);
  return patterns.some((p) => !p.startsWith("!") && match(p)) && !patterns.some((p) => p.startsWith("!") && match(p.slice(1)));
}

describe("the web app on static assets", () => {
  it("serves the HTML shell at /, under a strict content security policy", async () => {
    const res = await env.ASSETS.fetch("http://veza.test/", navigate);
    // Scripts from the origin only; WebAssembly may compile (hash-wasm, on the upload screen), JavaScript eval may not.
    const directives = (res.headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim());
    expect(directives.find((d) => d.startsWith("script-src "))).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await expectShell(res);
    // No inline script (the policy would refuse it).
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it("serves the same shell for a client-side route a browser navigates to", async () => {
    const root = await expectShell(await env.ASSETS.fetch("http://veza.test/", navigate));
    const deep = await expectShell(await env.ASSETS.fetch("http://veza.test/tracks/0b0e9a3c-5c1f-4d8e-9a51-3f1f2f7a0c11?t=30", navigate));
    expect(deep).toBe(root);
  });

  it("serves the shell's script with a long cache life, by its content hash", async () => {
    const html = await expectShell(await env.ASSETS.fetch("http://veza.test/", navigate));
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)![1]!;
    const res = await env.ASSETS.fetch(`http://veza.test${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it("leaves the Worker's own paths to the Worker: an unknown API path is still a problem+json 404", async () => {
    const res = await exports.default.fetch("http://veza.test/v1/nope", navigate);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, code: "not_found" });
  });

  it("routes every path of the API document, and the docs, to the Worker first", async () => {
    const patterns = runWorkerFirst();
    const doc = (await (await exports.default.fetch("http://veza.test/openapi.json")).json()) as { paths: Record<string, unknown> };
    const owned = [...Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, "x")), "/openapi.json", "/docs", "/health", "/dev/mailbox", "/v1"];
    expect(owned.length).toBeGreaterThan(100);
    expect(owned.filter((p) => !workerFirst(p, patterns))).toEqual([]);
    // …and nothing of the app's own.
    for (const appPath of ["/", "/sign-in", "/tracks/x", "/assets/index-abc.js", "/v1x"]) expect(workerFirst(appPath, patterns)).toBe(false);
  });
});
