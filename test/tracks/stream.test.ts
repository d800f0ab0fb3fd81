import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, bytesOf, call, textOf, imageFile, MEDIA_PLAYLIST, makeTrack, putHls, ramp, SEGMENT_BYTES, signature, softDeleteUser } from "./fixtures";

const hls = (id: string) => `/v1/tracks/${id}/hls`;
const uriLines = (text: string) => text.split("\n").filter((l) => l && !l.startsWith("#"));

describe("HLS master playlist", () => {
  it("serves a public track's master with every URI under the run, briefly cached", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const res = await call(`${hls(track.id)}/master.m3u8`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const text = await textOf(res);
    expect(uriLines(text)).toEqual([`${track.run}/64k/index.m3u8`, `${track.run}/128k/index.m3u8`]);
    expect(text).toContain('#EXT-X-STREAM-INF:BANDWIDTH=70000,CODECS="mp4a.40.34"');
    // the URIs resolve to the media playlist route
    const media = await call(new URL(uriLines(text)[0]!, `https://veza.test${hls(track.id)}/master.m3u8`).pathname);
    expect(media.status).toBe(200);
    expect(await textOf(media)).toBe(MEDIA_PLAYLIST);
  });

  it("serves unlisted tracks to anyone with the link", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await call(`${hls(track.id)}/master.m3u8`)).status).toBe(200);
    expect((await call(`${hls(track.id)}/${track.run}/128k/seg-00001.mp3`)).status).toBe(200);
  });

  it("refuses private tracks to anonymous and other users (404); the owner's bearer gets signed URIs", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "private" });
    expect((await call(`${hls(track.id)}/master.m3u8`)).status).toBe(404);
    expect((await call(`${hls(track.id)}/master.m3u8`, { headers: other.headers })).status).toBe(404);
    const res = await call(`${hls(track.id)}/master.m3u8`, { headers: owner.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    const uris = uriLines(await textOf(res));
    const { query } = await signature(track.id);
    expect(uris).toEqual([`${track.run}/64k/index.m3u8${query}`, `${track.run}/128k/index.m3u8${query}`]);
  });

  it("answers 409 while a track is processing, and why it failed to its owner only", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const pending = await makeTrack(owner.id, { status: "processing" });
    const res = await call(`${hls(pending.id)}/master.m3u8`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toContain("still being processed (40%)");
    const failed = await makeTrack(owner.id, { status: "failed", error: "Not a WAV file." });
    expect(((await (await call(`${hls(failed.id)}/master.m3u8`, { headers: owner.headers })).json()) as { detail: string }).detail).toBe(
      "This track could not be processed: Not a WAV file.",
    );
    const theirs = await call(`${hls(failed.id)}/master.m3u8`, { headers: other.headers });
    expect(theirs.status).toBe(409);
    expect(((await theirs.json()) as { detail: string }).detail).toBe("This track could not be processed.");
    // a private track that is not ready is still 404 to others: its state is not revealed
    const hidden = await makeTrack(owner.id, { status: "processing", visibility: "private" });
    expect((await call(`${hls(hidden.id)}/master.m3u8`, { headers: other.headers })).status).toBe(404);
  });

  it("is 404 for deleted tracks and for banned or deleted creators, even with a valid signature", async () => {
    const owner = await signedInUser();
    const deleted = await makeTrack(owner.id, { deleted: true, visibility: "private" });
    expect((await call(`${hls(deleted.id)}/master.m3u8${(await signature(deleted.id)).query}`)).status).toBe(404);
    const banned = await signedInUser();
    const bannedTrack = await makeTrack(banned.id);
    await banUser(banned.id);
    expect((await call(`${hls(bannedTrack.id)}/master.m3u8`)).status).toBe(404);
    const gone = await signedInUser();
    const goneTrack = await makeTrack(gone.id);
    await softDeleteUser(gone.id);
    expect((await call(`${hls(goneTrack.id)}/master.m3u8`)).status).toBe(404);
  });

  it("follows the track's current run", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const next = crypto.randomUUID();
    await sql.query("UPDATE tracks SET hls_path = $2 WHERE id = $1", [track.id, `hls/${track.id}/${next}`]);
    await env.MEDIA.put(`hls/${track.id}/${next}/master.m3u8`, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n256k/index.m3u8\n");
    expect(uriLines(await textOf(await call(`${hls(track.id)}/master.m3u8`)))).toEqual([`${next}/256k/index.m3u8`]);
  });
});

describe("signed URLs (private tracks)", () => {
  it("GET /stream gives the owner a signed master URL; the signed master, playlists and segments work without a token", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "private" });
    const stream = await api("GET", `/v1/tracks/${track.id}/stream`, { headers: owner.headers });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("cache-control")).toBe("private, no-store");
    const url = new URL(stream.body.master_url, "https://veza.test");
    expect(url.pathname).toBe(`${hls(track.id)}/master.m3u8`);
    const exp = Number(url.searchParams.get("exp"));
    expect(stream.body.expires_at).toBe(new Date(exp * 1000).toISOString());
    expect(exp % 3600).toBe(0);
    expect(exp * 1000 - Date.now()).toBeGreaterThan(4 * 3600_000 - 5000);
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(5 * 3600_000);

    // the player: no Authorization header from here on
    const master = await call(url.pathname + url.search);
    expect(master.status).toBe(200);
    const mediaUri = uriLines(await textOf(master))[1]!;
    expect(mediaUri).toBe(`${track.run}/128k/index.m3u8${url.search}`);
    const mediaUrl = new URL(mediaUri, url);
    const media = await call(mediaUrl.pathname + mediaUrl.search);
    expect(media.status).toBe(200);
    expect(media.headers.get("cache-control")).toBe("private, max-age=86400");
    const segments = uriLines(await textOf(media));
    expect(segments).toEqual([`seg-00000.mp3${url.search}`, `seg-00001.mp3${url.search}`]);
    const segmentUrl = new URL(segments[1]!, mediaUrl);
    const segment = await call(segmentUrl.pathname + segmentUrl.search);
    expect(segment.status).toBe(200);
    expect(segment.headers.get("content-type")).toBe("audio/mpeg");
    expect(segment.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(await bytesOf(segment)).toEqual(ramp(SEGMENT_BYTES));
  });

  it("gives public and unlisted tracks unsigned URLs, and refuses private ones to others (404)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const pub = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await api("GET", `/v1/tracks/${pub.id}/stream`)).body).toEqual({ master_url: `${hls(pub.id)}/master.m3u8`, expires_at: null });
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await api("GET", `/v1/tracks/${priv.id}/stream`)).status).toBe(404);
    expect((await api("GET", `/v1/tracks/${priv.id}/stream`, { headers: other.headers })).status).toBe(404);
    const pending = await makeTrack(owner.id, { status: "pending" });
    expect((await api("GET", `/v1/tracks/${pending.id}/stream`)).status).toBe(409);
  });

  it("refuses forged, truncated, expired and other tracks' signatures with 403", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "private" });
    const other = await makeTrack(owner.id, { visibility: "private" });
    const good = await signature(track.id);
    const segment = `${hls(track.id)}/${track.run}/64k/seg-00000.mp3`;
    expect((await call(`${segment}${good.query}`)).status).toBe(200);
    const flipped = good.sig.slice(0, -1) + (good.sig.endsWith("A") ? "B" : "A");
    const expired = await signature(track.id, Date.now() - 6 * 3600_000);
    const bad = [
      `?exp=${good.exp}&sig=${flipped}`,
      `?exp=${good.exp + 3600}&sig=${good.sig}`,
      `?exp=${good.exp}`,
      `?sig=${good.sig}`,
      `?exp=soon&sig=${good.sig}`,
      `?exp=${good.exp}&sig=short`,
      expired.query,
      (await signature(other.id)).query,
    ];
    for (const query of bad) {
      for (const path of [segment, `${hls(track.id)}/${track.run}/64k/index.m3u8`, `${hls(track.id)}/master.m3u8`]) {
        const res = await call(`${path}${query}`);
        expect(res.status, `${path}${query}`).toBe(403);
      }
    }
    const res = await call(`${segment}${expired.query}`);
    expect(((await res.json()) as { detail: string }).detail).toContain("expired");
  });

  it("refuses unsigned segment and playlist requests for private tracks, except with the owner's token", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id, { visibility: "private" });
    const segment = `${hls(track.id)}/${track.run}/64k/seg-00000.mp3`;
    expect((await call(segment)).status).toBe(404);
    expect((await call(segment, { headers: other.headers })).status).toBe(404);
    expect((await call(`${hls(track.id)}/${track.run}/64k/index.m3u8`, { headers: other.headers })).status).toBe(404);
    const mine = await call(segment, { headers: owner.headers });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
  });
});

describe("HLS media playlists and segments", () => {
  it("serves a public segment as immutable audio/mpeg, and the playlist as is", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const seg = await call(`${hls(track.id)}/${track.run}/64k/seg-00000.mp3`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get("content-type")).toBe("audio/mpeg");
    expect(seg.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(seg.headers.get("accept-ranges")).toBe("bytes");
    expect(seg.headers.get("content-length")).toBe(String(SEGMENT_BYTES));
    expect(await bytesOf(seg)).toEqual(ramp(SEGMENT_BYTES));
    const playlist = await call(`${hls(track.id)}/${track.run}/64k/index.m3u8`);
    expect(playlist.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(playlist.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(await textOf(playlist)).toBe(MEDIA_PLAYLIST);
  });

  it("honours byte ranges: 206 with Content-Range, suffix ranges, 416 past the end, 200 for what it cannot serve as one range", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const segment = `${hls(track.id)}/${track.run}/128k/seg-00001.mp3`;
    const range = (value: string) => call(segment, { headers: { Range: value } });

    const middle = await range("bytes=100-199");
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe(`bytes 100-199/${SEGMENT_BYTES}`);
    expect(middle.headers.get("content-length")).toBe("100");
    expect(await bytesOf(middle)).toEqual(ramp(SEGMENT_BYTES).slice(100, 200));

    const open = await range("bytes=900-");
    expect(open.status).toBe(206);
    expect(open.headers.get("content-range")).toBe(`bytes 900-999/${SEGMENT_BYTES}`);
    expect((await bytesOf(open)).length).toBe(100);

    const tail = await range("bytes=-10");
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes 990-999/${SEGMENT_BYTES}`);
    expect(await bytesOf(tail)).toEqual(ramp(SEGMENT_BYTES).slice(990));

    const beyond = await range("bytes=950-5000");
    expect(beyond.status).toBe(206);
    expect(beyond.headers.get("content-range")).toBe(`bytes 950-999/${SEGMENT_BYTES}`);

    for (const unsatisfiable of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const res = await range(unsatisfiable);
      expect(res.status, unsatisfiable).toBe(416);
      expect(res.headers.get("content-range")).toBe(`bytes */${SEGMENT_BYTES}`);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    for (const ignored of ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=x"]) {
      const res = await range(ignored);
      expect(res.status, ignored).toBe(200);
      expect((await bytesOf(res)).length).toBe(SEGMENT_BYTES);
    }
  });

  it("validates run, rendition and segment names strictly (422), and 404s what does not exist", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    for (const path of [
      `${track.run}/64k/seg-0.mp3`,
      `${track.run}/64k/seg-00000.mp4`,
      `${track.run}/64k/..%2Fmaster.m3u8`,
      `${track.run}/64/seg-00000.mp3`,
      `${track.run}/x64k/index.m3u8`,
      `not-a-run/64k/seg-00000.mp3`,
    ]) {
      expect((await call(`${hls(track.id)}/${path}`)).status, path).toBe(422);
    }
    expect((await call(`${hls(track.id)}/${track.run}/64k/seg-00009.mp3`)).status).toBe(404);
    expect((await call(`${hls(track.id)}/${track.run}/256k/index.m3u8`)).status).toBe(404);
    expect((await call(`${hls(crypto.randomUUID())}/${track.run}/64k/seg-00000.mp3`)).status).toBe(404);
  });

  it("costs no database round trip when signed, one at most when not (then none while cached)", async () => {
    const owner = await signedInUser();
    const priv = await makeTrack(owner.id, { visibility: "private" });
    const signed = await withRoundTrips(new Request(`https://veza.test${hls(priv.id)}/${priv.run}/64k/seg-00000.mp3${(await signature(priv.id)).query}`));
    expect(signed.response.status).toBe(200);
    expect(signed.roundTrips).toBe(0);

    const pub = await makeTrack(owner.id);
    const segment = `https://veza.test${hls(pub.id)}/${pub.run}/64k/seg-00000.mp3`;
    const first = await withRoundTrips(new Request(segment));
    expect(first.response.status).toBe(200);
    expect(first.roundTrips).toBe(1);
    const second = await withRoundTrips(new Request(`https://veza.test${hls(pub.id)}/${pub.run}/64k/seg-00001.mp3`));
    expect(second.response.status).toBe(200);
    expect(second.roundTrips).toBe(0);

    // the master and the stream URL always read the track fresh: one round trip
    for (const path of [`${hls(pub.id)}/master.m3u8`, `/v1/tracks/${pub.id}/stream`]) {
      const fresh = await withRoundTrips(new Request(`https://veza.test${path}`));
      expect(fresh.response.status, path).toBe(200);
      expect(fresh.roundTrips, path).toBe(1);
    }

    // the isolate that deletes a track forgets it at once
    expect((await api("DELETE", `/v1/tracks/${pub.id}`, { headers: owner.headers })).status).toBe(204);
    const after = await withRoundTrips(new Request(segment));
    expect(after.response.status).toBe(404);
    expect(after.roundTrips).toBe(1);
  });

  it("does not cache a track that is not ready: it streams as soon as it is", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id, { status: "processing" });
    const run = crypto.randomUUID();
    expect((await call(`${hls(track.id)}/${run}/64k/seg-00000.mp3`)).status).toBe(409);
    await putHls(track.id, run);
    await sql.query("UPDATE tracks SET status = 'ready', processing_progress = 100, duration = 200, duration_ms = 200000, hls_path = $2 WHERE id = $1", [track.id, `hls/${track.id}/${run}`]);
    expect((await call(`${hls(track.id)}/${run}/64k/seg-00000.mp3`)).status).toBe(200);
  });
});

describe("GET /v1/tracks/:id/cover/:fileId", () => {
  it("streams a public track's cover, immutable; private covers by signature or owner only; old covers 404", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const cover = await imageFile(owner.id, png);
    const track = await makeTrack(owner.id, { coverFileId: cover.id });
    const url = (await api("GET", `/v1/tracks/${track.id}`)).body.cover_url;
    const res = await call(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await bytesOf(res)).toEqual(png);

    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [track.id]);
    expect((await call(url)).status).toBe(404);
    expect((await call(url, { headers: other.headers })).status).toBe(404);
    const signedUrl = (await api("GET", `/v1/tracks/${track.id}`, { headers: owner.headers })).body.cover_url;
    expect(signedUrl).toMatch(/\?exp=\d+&sig=/);
    const signed = await call(signedUrl);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect((await call(url, { headers: owner.headers })).status).toBe(200);

    const newer = await imageFile(owner.id, png);
    await sql.query("UPDATE tracks SET cover_art_file_id = $2 WHERE id = $1", [track.id, newer.id]);
    expect((await call(signedUrl)).status).toBe(404);
  });
});
