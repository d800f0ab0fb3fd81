import { execFile } from "node:child_process";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { workerInWorkerd } from "../../bench/lib";

const root = new URL("../../", import.meta.url).pathname;

describe("the deploy bundle", () => {
  it("builds with every binding, and runs in workerd: docs, validation, errors", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "veza-deploy-"));
    const { stdout } = await promisify(execFile)(join(root, "scripts/wrangler.sh"), ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const binding of ["env.CHAT_ROOM (ChatRoom)", "env.PLAYBACK_QUEUE (PlaybackQueue)", "env.MEDIA_QUEUE (veza-media)", "env.JOBS_QUEUE (veza-jobs)", "env.MEDIA (veza-media)"]) {
      expect(stdout).toContain(binding);
    }
    const script = join(outdir, "index.js");
    expect((await stat(script)).size).toBeGreaterThan(0);

    // The bundle is what production runs (minified, with the locale-free zod of wrangler.toml's
    // [alias]): boot it and exercise what leans on zod — the OpenAPI document and validation.
    const mf = workerInWorkerd(script, "postgres://veza:veza@127.0.0.1:1/veza");
    try {
      const doc = await mf.dispatchFetch("https://veza.test/openapi.json");
      expect(doc.status).toBe(200);
      const paths = Object.keys(((await doc.json()) as { paths: Record<string, unknown> }).paths);
      expect(paths).toEqual(expect.arrayContaining(["/health", "/v1/auth/register", "/v1/auth/login", "/v1/me"]));
      const invalid = await mf.dispatchFetch("https://veza.test/v1/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "nope", username: "x", password: "short" }),
      });
      expect(invalid.status).toBe(422);
      const problem = (await invalid.json()) as { code: string; errors: { path: string; message: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["json.email", "json.username", "json.password"]));
      expect(problem.errors.every((e) => e.message.length > 0)).toBe(true);
      const down = await mf.dispatchFetch("https://veza.test/health");
      expect(down.status).toBe(503);
    } finally {
      await mf.dispose();
    }
  }, 180_000);
});
