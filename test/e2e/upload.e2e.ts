import { createHash } from "node:crypto";
import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, PHONE, shot, useBrowser } from "./browser";
import { apiJson, registerUser, signIn, toneWav, type TestUser } from "./support";

/**
 * The upload screen: a generated WAV picked in the browser goes up in parts with a real progress
 * bar, the track is saved and processed by the real media queue, and the page links to it. Then
 * the failures: a part lost on the way is retried, and after a reload only the missing parts are
 * sent — checked against what the API stored, down to the SHA-256.
 */

const browser = useBrowser();
const PARTS = /\/v1\/uploads\/([0-9a-f-]{36})\/parts\/(\d+)$/;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** A 1×1 PNG. */
const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

interface UploadView {
  id: string;
  status: string;
  sha256: string;
  size: number;
  part_size: number;
  total_parts: number;
  parts: { part_number: number }[];
  missing_parts: number[];
  file_id: string | null;
}

async function openUploadPage(page: Page, user: TestUser) {
  await signIn(page, user, "/upload");
  await page.getByRole("heading", { level: 1, name: "Upload a track" }).waitFor({ timeout: 30_000 });
}

/** Picks `bytes` as `name` in the screen's file input (what a person does with the file dialog). */
async function pick(page: Page, name: string, bytes: Uint8Array, mimeType = "audio/wav") {
  await page.getByLabel("Choose an audio file").setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
}

const progressOf = async (page: Page, name: string) => Number(await page.getByRole("progressbar", { name }).getAttribute("aria-valuenow"));

/** Counts part PUTs by number (and the upload they belong to); `fail` decides which to cut off on the way. */
function watchParts(page: Page, fail: (n: number, attempt: number) => boolean = () => false) {
  const sent: number[] = [];
  let uploadId = "";
  const handler = async (route: Route) => {
    const [, id, n] = PARTS.exec(new URL(route.request().url()).pathname)!;
    uploadId = id!;
    const part = Number(n);
    const attempt = sent.filter((p) => p === part).length;
    sent.push(part);
    if (fail(part, attempt)) await route.abort("connectionreset");
    else await route.continue();
  };
  return {
    sent,
    get uploadId() {
      return uploadId;
    },
    install: () => page.route(PARTS, handler),
    remove: () => page.unroute(PARTS, handler),
  };
}

describe("uploading a track in the web app", () => {
  it("uploads a WAV with a real progress bar, saves the track, follows its processing and links to it", async () => {
    const user = await registerUser("up");
    const page = await browser.newPage();
    await openUploadPage(page, user);
    await shot(page, "upload-pick");

    // Not audio, whatever its name says: the API reads the bytes and refuses it, and the screen says so.
    await pick(page, "not-really.wav", new TextEncoder().encode("These are words, not sound. ".repeat(200)));
    const refusal = page.getByRole("alert").filter({ hasText: "This file was refused." });
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain("not a type Veza stores");
    // Refused before a byte is sent: a file that does not even claim to be audio.
    await page.getByLabel("Choose another file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await page.getByText("“notes.txt” is not a WAV, FLAC or MP3 audio file.").waitFor();
    await shot(page, "upload-refused");
    await page.getByRole("button", { name: "Start over" }).click();

    // The real thing, on a throttled connection (1.5 MB/s up) so the bar has time to move.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1_500_000 });
    const wav = toneWav(20);
    await pick(page, "first-take.wav", wav);
    const seen = new Set<number>();
    let inProgressShot = false;
    for (const deadline = Date.now() + 60_000; ; ) {
      const value = await progressOf(page, "Upload progress");
      seen.add(value);
      if (!inProgressShot && value >= 20 && value <= 80) {
        // The bar, bytes, speed and time left, while it moves.
        await page.getByText(/MB\/s/).waitFor();
        await shot(page, "upload-in-progress");
        inProgressShot = true;
      }
      if (value === 100) break;
      expect(Date.now()).toBeLessThan(deadline);
      await page.waitForTimeout(50);
    }
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // A real bar: it went through values on the way, not just 0 then 100.
    expect([...seen].filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(3);
    expect(inProgressShot).toBe(true);
    await page.getByText(/^Uploaded: /).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("status").filter({ hasText: "Upload progress: Uploaded" }).count()).toBe(1);

    // The form: the title comes from the file's name.
    const title = page.getByLabel("Title", { exact: true });
    expect(await title.inputValue()).toBe("first-take");
    await title.fill("First take");
    await page.getByLabel("Description (optional)").fill("Recorded in one go.\nNo edits.");
    await page.getByLabel("Genre (optional)").fill("Ambient");
    await page.getByRole("radio", { name: /Unlisted/ }).check();
    await page.getByLabel("Let listeners download the original file").check();
    // A cover, uploaded the same way beside the audio.
    await page.getByLabel("Choose an image").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: Buffer.from(PIXEL_PNG, "base64") });
    await page.getByRole("img", { name: "The chosen cover" }).waitFor();
    await page.getByText(/^Uploaded: /).nth(1).waitFor({ timeout: 30_000 });
    await page.getByText("More details (artist, album, tempo, key)").click();
    await page.getByLabel("BPM").fill("92");
    // A key the API does not know: its error is shown by the Key field, and nothing typed is lost.
    await page.getByLabel("Key", { exact: true }).fill("H minor");
    await page.getByRole("button", { name: "Save track" }).click();
    const key = page.getByLabel("Key", { exact: true });
    await page.getByText("must be a key such as C, F#m, Bb major").waitFor({ timeout: 20_000 });
    expect(await key.getAttribute("aria-invalid")).toBe("true");
    expect(await title.inputValue()).toBe("First take");
    await key.fill("A minor");
    await page.getByRole("button", { name: "Save track" }).click();

    // Processing, polled until ready.
    await page.getByRole("heading", { name: "Processing “First take”" }).or(page.getByRole("heading", { name: "“First take” is ready" })).waitFor({ timeout: 20_000 });
    await shot(page, "upload-processing");
    await page.getByRole("heading", { name: "“First take” is ready" }).waitFor({ timeout: 120_000 });
    expect(await progressOf(page, "Processing progress")).toBe(100);
    await shot(page, "upload-done");

    await page.getByRole("link", { name: "Open the track page" }).click();
    await page.waitForURL(/\/tracks\/[0-9a-f-]{36}$/);
    const trackId = new URL(page.url()).pathname.split("/").pop()!;

    // What was saved is what was typed, and the stored original is the very file picked.
    const track = await apiJson<{
      title: string;
      description: string;
      genre: string;
      visibility: string;
      is_downloadable: boolean;
      bpm: number;
      musical_key: string;
      status: string;
      cover_url: string | null;
    }>(
      `/v1/tracks/${trackId}`,
      { token: user.token },
    );
    expect(track).toMatchObject({
      title: "First take",
      description: "Recorded in one go.\nNo edits.",
      genre: "Ambient",
      visibility: "unlisted",
      is_downloadable: true,
      bpm: 92,
      musical_key: "A minor",
      status: "ready",
    });
    expect(track.cover_url).toBeTruthy();
    const original = await fetch(`${baseUrl()}/v1/tracks/${trackId}/download`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(original.status).toBe(200);
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(sha256(wav));
  });

  it("retries a part that broke off on the way, and the stored file is the one picked", async () => {
    const user = await registerUser("up");
    const page = await browser.newPage();
    await openUploadPage(page, user);

    // 64 s of audio, 11.3 MB: 3 parts of 5 MiB, and above the screen's Web Crypto limit (8 MiB), so
    // hashed in slices by hash-wasm — the API's check of the SHA-256 on completion proves that path.
    const wav = toneWav(64);
    const parts = watchParts(page, (n, attempt) => n === 2 && attempt === 0);
    await parts.install();
    await pick(page, "long-take.wav", wav);

    // The break is said, then retried without anyone doing anything.
    await page.getByText(/^Upload interrupted at \d+ %/).waitFor({ timeout: 30_000 });
    await page.getByText(/^Uploaded: /).waitFor({ timeout: 60_000 });
    expect(await progressOf(page, "Upload progress")).toBe(100);

    // Part 2 went twice (the cut one and the retry); every other part once.
    expect(parts.sent.filter((n) => n === 2)).toHaveLength(2);
    for (const n of [1, 3]) expect(parts.sent.filter((p) => p === n)).toHaveLength(1);

    const upload = await apiJson<UploadView>(`/v1/uploads/${parts.uploadId}`, { token: user.token });
    expect(upload).toMatchObject({ status: "completed", size: wav.length, total_parts: 3, sha256: sha256(wav) });
    expect(upload.file_id).toBeTruthy();
    // Done: nothing left to resume.
    expect(await page.evaluate(() => localStorage.getItem("veza.uploads"))).toBeNull();
  });

  it("resumes after a reload when the same file is picked again, sending only the missing parts (phone-sized)", async () => {
    const user = await registerUser("up");
    const page = await browser.newPage(PHONE);
    page.on("dialog", (dialog) => void dialog.accept());
    await openUploadPage(page, user);

    const wav = toneWav(64);
    // Part 2 never gets through: the upload keeps retrying it.
    const first = watchParts(page, (n) => n === 2);
    await first.install();
    await pick(page, "night-session.wav", wav);
    await page.getByText(/^Upload interrupted at \d+ %/).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await apiJson<UploadView>(`/v1/uploads/${first.uploadId}`, { token: user.token })).missing_parts, { timeout: 60_000 }).toEqual([2]);
    await shot(page, "upload-retrying");

    // The tab is reloaded (or the browser crashed): the screen remembers the upload. Part 2 stays
    // blocked until the old page is gone, or its next retry could finish the upload first.
    await page.reload();
    await page.getByRole("heading", { name: "Interrupted uploads" }).waitFor({ timeout: 30_000 });
    await first.remove();
    const second = watchParts(page);
    await second.install();
    await page.getByText("night-session.wav").waitFor();
    await shot(page, "upload-interrupted");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // The same file picked again: only part 2 goes.
    await pick(page, "night-session.wav", wav);
    await page.getByText(/^Resumed: .* were already on Veza/).or(page.getByText(/^Uploaded: /)).waitFor({ timeout: 30_000 });
    await page.getByText(/^Uploaded: /).waitFor({ timeout: 60_000 });
    expect(second.sent).toEqual([2]);
    expect(second.uploadId).toBe(first.uploadId);

    const upload = await apiJson<UploadView>(`/v1/uploads/${first.uploadId}`, { token: user.token });
    expect(upload).toMatchObject({ status: "completed", size: wav.length, sha256: sha256(wav), missing_parts: [] });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, "upload-resumed");
  });
});
