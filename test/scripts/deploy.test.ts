import { execFile } from "node:child_process";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;

describe("wrangler deploy --dry-run", () => {
  it("bundles the Worker with every binding the platform declares", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "veza-deploy-"));
    const { stdout } = await promisify(execFile)(join(root, "scripts/wrangler.sh"), ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const binding of ["env.CHAT_ROOM (ChatRoom)", "env.PLAYBACK_QUEUE (PlaybackQueue)", "env.MEDIA_QUEUE (veza-media)", "env.MEDIA (veza-media)"]) {
      expect(stdout).toContain(binding);
    }
    expect((await stat(join(outdir, "index.js"))).size).toBeGreaterThan(0);
  }, 120_000);
});
