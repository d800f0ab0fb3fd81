import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../scripts/free-port";
import { renderPiece, wavBytes } from "../scripts/demo-audio";
import { DEMO_PASSWORD } from "../scripts/seed";
import { startWebDavServer } from "../scripts/webdav-dev";
import { buildWorker, jsonInit, setupCaller, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

/** Real audio files backed up per measured run, and their length (stereo 16-bit 44.1 kHz WAV: ~10.6 MB a minute). */
const FILES = 12;
const SECONDS_PER_FILE = 24;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Issue 9's figure: backup throughput to a real WebDAV server (npm webdav-server, files on disk) on
 * this machine. The built Worker runs in workerd; the run is its queue consumer (the "cloud.backup"
 * message delivered straight to its queue handler) copying FILES WAV originals from R2 plus the
 * user's data export, streamed (R2 body -> PUT). Then a second run, where nothing changed: the cost
 * of "copy only what changed". The files on the server are checked byte for byte.
 */
export async function cloudBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const dir = await mkdtemp(join(tmpdir(), "veza-webdav-"));
  const dav = await startWebDavServer({ port: await freePort(), username: "bench", password: "bench-app-password", dir });
  const mf = workerInWorkerd(build.script, taggedUrl(server, "cloud"), undefined, { bindings: { ENVIRONMENT: "development" } });
  const rows: Row[] = [];
  try {
    const call = setupCaller(mf);
    const token = (await call("/v1/auth/login", jsonInit("POST", { identifier: "sam_listens", password: DEMO_PASSWORD }))).session.accessToken as string;
    const me = (await call("/v1/me", { headers: { authorization: `Bearer ${token}` } })) as { id: string };

    // The originals: real audio in R2, each a files row of the user (project files).
    const bucket = await mf.getR2Bucket("MEDIA");
    const originals = new Map<string, string>();
    let bytes = 0;
    for (let i = 0; i < FILES; i++) {
      const wav = wavBytes(renderPiece({ progression: [57 + (i % 5), 53, 60, 55], melody: [0, 3, 7, null, 10, 7, 3, null], bpm: 80 + i * 3, bars: Math.round((SECONDS_PER_FILE * (80 + i * 3)) / 240), minor: i % 2 === 0 }, i + 1));
      const key = `originals/${me.id}/bench-${i}.wav`;
      await bucket.put(key, wav);
      const hash = sha256(wav);
      originals.set(`take-${i}`, hash);
      bytes += wav.byteLength;
      await sql(server.url, `INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url, file_hash) VALUES ($1, $2, $3, 'audio/wav', $4, $5, $6, $7)`, [
        me.id, `bench-${i}.wav`, `take-${i}.wav`, String(wav.byteLength), key, `/v1/files/bench-${i}`, hash,
      ]);
    }

    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const account = await call("/v1/me/cloud-accounts", { method: "POST", headers: auth, body: JSON.stringify({ provider: "webdav", server_url: dav.url, username: dav.username, app_password: dav.password }) });
    const job = await call("/v1/me/backup-jobs", { method: "POST", headers: auth, body: JSON.stringify({ cloud_account_id: account.id, remote_path: "/Veza", include_tracks: true, include_projects: true, include_data_export: true }) });
    const worker = await mf.getWorker();

    const run = async () => {
      const queued = await call(`/v1/me/backup-jobs/${job.id}/run`, { method: "POST", headers: auth });
      const started = performance.now();
      await worker.queue("veza-jobs", [{ id: `bench-${queued.run_count}`, timestamp: new Date(), attempts: 1, body: { type: "cloud.backup", jobId: job.id, run: queued.run_count } }] as never);
      const ms = performance.now() - started;
      const after = await call(`/v1/me/backup-jobs/${job.id}`, { headers: auth });
      if (after.status !== "completed") throw new Error(`backup run ${queued.run_count}: ${after.status} ${after.error_message}`);
      return { ms, job: after };
    };

    const first = await run();
    const mb = first.job.bytes_copied / 1_048_576;
    for (const [name, hash] of originals) {
      const path = (await readdirNames(join(dir, "Veza", "projects"))).find((f) => f.startsWith(`${name} (`));
      if (!path || sha256(await readFile(join(dir, "Veza", "projects", path))) !== hash) throw new Error(`${name} did not arrive intact`);
    }
    rows.push({ area: "cloud", metric: `backup to a local WebDAV server: ${first.job.files_copied} files (${FILES} WAV of ${SECONDS_PER_FILE} s + data export), ${mb.toFixed(1)} MB`, value: mb / (first.ms / 1000), unit: "MB/s" });
    rows.push({ area: "cloud", metric: "backup: wall time per file copied", value: first.ms / first.job.files_copied, unit: "ms" });
    const second = await run();
    rows.push({ area: "cloud", metric: `re-run, nothing changed (${second.job.files_skipped} skipped, ${second.job.files_copied} copied)`, value: second.ms, unit: "ms" });
    if (second.job.files_copied !== 0) throw new Error(`the re-run copied ${second.job.files_copied} files`);
    void bytes;
  } finally {
    await mf.dispose();
    await dav.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

async function readdirNames(path: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return readdir(path);
}

/** A statement on the dev database server (its Neon-compatible HTTP endpoint). */
async function sql(url: string, query: string, params: unknown[]): Promise<void> {
  const res = await fetch(`${url}/sql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, params }) });
  if (!res.ok) throw new Error(`${query}: ${res.status} ${await res.text()}`);
}
