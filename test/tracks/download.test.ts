import { describe, expect, it } from "vitest";
import { contentDisposition } from "../../src/domains/tracks/download";
import { signedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, bytesOf, call, makeTrack, ramp, signature } from "./fixtures";

const download = (id: string, init: RequestInit = {}) => call(`/v1/tracks/${id}/download`, init);
const downloads = async (id: string) => Number((await one("SELECT download_count FROM tracks WHERE id = $1", [id])).download_count);

describe("GET /v1/tracks/:id/download", () => {
  it("gives the original of a downloadable track to anyone, as an attachment with a safe name, and counts it", async () => {
    const owner = await signedInUser();
    const listener = await signedInUser();
    const original = ramp(5000);
    const track = await makeTrack(owner.id, { isDownloadable: true, original, originalFilename: "C:\\music\\Night \"Drive\".html" });
    for (const headers of [{}, listener.headers]) {
      const res = await download(track.id, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("audio/wav");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Night Drive.wav"; filename*=UTF-8''Night%20Drive.wav`);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(await bytesOf(res)).toEqual(original);
    }
    expect(await downloads(track.id)).toBe(2);
  });

  it("counts downloads, not requests: a range from byte 0 counts, later ranges and the owner's downloads do not", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { isDownloadable: true, original: ramp(5000) });
    const first = await download(track.id, { headers: { Range: "bytes=0-1999" } });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-1999/5000");
    const rest = await download(track.id, { headers: { Range: "bytes=2000-" } });
    expect(rest.status).toBe(206);
    expect(await bytesOf(rest)).toEqual(ramp(5000).slice(2000));
    expect(await downloads(track.id)).toBe(1);
    const past = await download(track.id, { headers: { Range: "bytes=9000-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */5000");
    expect(await downloads(track.id)).toBe(1);
    expect((await download(track.id, { headers: owner.headers })).status).toBe(200);
    expect(await downloads(track.id)).toBe(1);
  });

  it("refuses a track that is not downloadable (403) except to its owner, and one that is not ready to others (409)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const locked = await makeTrack(owner.id, { isDownloadable: false });
    expect((await download(locked.id)).status).toBe(403);
    expect((await download(locked.id, { headers: other.headers })).status).toBe(403);
    expect((await download(locked.id, { headers: owner.headers })).status).toBe(200);
    const failed = await makeTrack(owner.id, { isDownloadable: true, status: "failed" });
    expect((await download(failed.id, { headers: other.headers })).status).toBe(409);
    expect((await download(failed.id, { headers: owner.headers })).status).toBe(200);
    expect(await downloads(locked.id)).toBe(0);
    expect(await downloads(failed.id)).toBe(0);
  });

  it("keeps private tracks to their owner (404 to others), who may also use the signed URL; unlisted by link", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const priv = await makeTrack(owner.id, { visibility: "private", isDownloadable: true });
    expect((await download(priv.id)).status).toBe(404);
    expect((await download(priv.id, { headers: other.headers })).status).toBe(404);
    expect((await download(priv.id, { headers: owner.headers })).status).toBe(200);
    expect((await call(`/v1/tracks/${priv.id}/download${(await signature(priv.id)).query}`)).status).toBe(200);
    expect((await call(`/v1/tracks/${priv.id}/download${(await signature(priv.id, Date.now() - 6 * 3600_000)).query}`)).status).toBe(403);
    const unlisted = await makeTrack(owner.id, { visibility: "unlisted", isDownloadable: true });
    expect((await download(unlisted.id, { headers: other.headers })).status).toBe(200);
  });

  it("is 404 for deleted tracks and banned creators; a banned listener's token is 403", async () => {
    const owner = await signedInUser();
    const deleted = await makeTrack(owner.id, { isDownloadable: true, deleted: true });
    expect((await download(deleted.id, { headers: owner.headers })).status).toBe(404);
    const listener = await signedInUser();
    const track = await makeTrack(owner.id, { isDownloadable: true });
    await banUser(listener.id);
    expect((await download(track.id, { headers: listener.headers })).status).toBe(403);
    await banUser(owner.id);
    expect((await download(track.id)).status).toBe(404);
  });

  it("authorises and counts in one database round trip", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { isDownloadable: true });
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/tracks/${track.id}/download`));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(roundTrips).toBe(1);
    expect(await downloads(track.id)).toBe(1);
  });
});

describe("contentDisposition", () => {
  it("keeps a clean name, gives it the real type's extension and encodes what is not ASCII", () => {
    expect(contentDisposition("take 3.flac", "x", "audio/flac")).toBe(`attachment; filename="take 3.flac"; filename*=UTF-8''take%203.flac`);
    expect(contentDisposition("../../etc/passwd", "x", "audio/mpeg")).toBe(`attachment; filename="passwd.mp3"; filename*=UTF-8''passwd.mp3`);
    expect(contentDisposition("Café – été.wav", "x", "audio/wav")).toBe(
      `attachment; filename="Cafe _ ete.wav"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20%C3%A9t%C3%A9.wav`,
    );
    expect(contentDisposition("a\r\nb;c.wav", "x", "audio/wav")).toBe(`attachment; filename="abc.wav"; filename*=UTF-8''abc.wav`);
    expect(contentDisposition(".wav", "My \"Song\"", "audio/wav")).toBe(`attachment; filename="My Song.wav"; filename*=UTF-8''My%20Song.wav`);
    expect(contentDisposition(null, "", "audio/wav")).toBe(`attachment; filename="track.wav"; filename*=UTF-8''track.wav`);
  });
});
