/**
 * Demo tracks for `npm run dev`, made the way an artist makes them: sign in, upload a WAV in parts
 * through the running Worker, create the track — and the local queue consumer turns it into HLS.
 * Idempotent: a demo user who already has tracks is left alone (the upload would be a duplicate
 * anyway). Runs after `wrangler dev` answers, so it needs no access to miniflare's storage.
 */
import { createHash } from "node:crypto";
import { DEMO_PASSWORD } from "./seed";
import { renderPiece, wavBytes, type DemoPiece } from "./demo-audio";

interface DemoTrack {
  username: string;
  title: string;
  genre: string;
  bpm: number;
  musicalKey: string;
  description: string;
  piece: DemoPiece;
}

const TRACKS: DemoTrack[] = [
  {
    username: "okra_beats",
    title: "Harbour Lights",
    genre: "Lo-fi",
    bpm: 84,
    musicalKey: "Am",
    description: "A slow walk by the water, late.",
    piece: { progression: [57, 53, 48, 55], melody: [0, null, 3, 7, null, 10, 7, 3], bpm: 84, bars: 16, minor: true },
  },
  {
    username: "okra_beats",
    title: "Paper Kites",
    genre: "Chillhop",
    bpm: 92,
    musicalKey: "C",
    description: "Bright chords, a bass that doesn't sit still.",
    piece: { progression: [48, 57, 53, 55], melody: [7, 4, null, 0, 2, 4, null, 7], bpm: 92, bars: 16, minor: false },
  },
  {
    username: "nadia_keys",
    title: "Night Tram",
    genre: "Electronic",
    bpm: 118,
    musicalKey: "Dm",
    description: "Keys and a kick for the last ride home.",
    piece: { progression: [50, 46, 53, 48], melody: [0, 3, 7, 10, 12, 10, 7, 3], bpm: 118, bars: 24, minor: true },
  },
];

async function call<T>(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body && typeof init.body === "string") headers.set("content-type", "application/json");
  const response = await fetch(`${base}${path}`, { ...init, headers });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function uploadWav(base: string, token: string, filename: string, bytes: Uint8Array): Promise<string> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const upload = await call<{ id: string; part_size: number; total_parts: number }>(base, "/v1/uploads", {
    method: "POST",
    token,
    body: JSON.stringify({ filename, size: bytes.length, mime_type: "audio/wav", sha256 }),
  });
  for (let n = 1; n <= upload.total_parts; n++) {
    const part = bytes.subarray((n - 1) * upload.part_size, n * upload.part_size);
    await call(base, `/v1/uploads/${upload.id}/parts/${n}`, {
      method: "PUT",
      token,
      headers: { "content-type": "application/octet-stream" },
      body: part,
    });
  }
  const file = await call<{ id: string }>(base, `/v1/uploads/${upload.id}/complete`, { method: "POST", token });
  return file.id;
}

export async function seedMedia(base: string, log: (line: string) => void): Promise<void> {
  const tokens = new Map<string, string>();
  const signIn = async (username: string) => {
    let token = tokens.get(username);
    if (!token) {
      const signedIn = await call<{ session: { accessToken: string } }>(base, "/v1/auth/login", {
        method: "POST",
        body: JSON.stringify({ identifier: username, password: DEMO_PASSWORD }),
      });
      token = signedIn.session.accessToken;
      tokens.set(username, token);
    }
    return token;
  };
  const trackIds: string[] = [];
  for (const track of TRACKS) {
    const token = await signIn(track.username);
    const existing = await call<{ items: { id: string; title: string }[] }>(base, `/v1/users/${track.username}/tracks?limit=50`, { token });
    const found = existing.items.find((t) => t.title === track.title);
    if (found) {
      trackIds.push(found.id);
      continue;
    }

    const fileId = await uploadWav(base, token, `${track.title.toLowerCase().replaceAll(" ", "-")}.wav`, wavBytes(renderPiece(track.piece, track.bpm)));
    const created = await call<{ id: string }>(base, "/v1/tracks", {
      method: "POST",
      token,
      body: JSON.stringify({
        file_id: fileId,
        title: track.title,
        description: track.description,
        artist: track.username,
        genre: track.genre,
        bpm: track.bpm,
        musical_key: track.musicalKey,
        visibility: "public",
        is_downloadable: true,
      }),
    });
    trackIds.push(created.id);
    log(`track "${track.title}" by @${track.username}: ${base}/v1/tracks/${created.id} (processing in the local queue)`);
  }
  await seedListening(base, signIn, trackIds, log);
  await seedPlays(base, signIn, trackIds, log);
  await seedMarketplace(base, signIn, log);
}

const demoProduct = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;

/**
 * The shop's files, and a purchase, through the API: the sellers upload each pack's preview (audio,
 * streamed publicly) and deliverable (private), and @sam_listens takes the free rain pack through
 * cart and checkout — a total of 0 completes without Stripe, so the library, the licence key and
 * the signed download link all work locally. Done once: a second run finds the preview in place.
 */
async function seedMarketplace(base: string, signIn: (username: string) => Promise<string>, log: (line: string) => void): Promise<void> {
  const packs = [
    { seller: "okra_beats", product: demoProduct(601), piece: { progression: [57, 53, 48, 55], melody: [0, 3, null, 7, 10, null, 7, 3], bpm: 84, bars: 8, minor: true } },
    { seller: "nadia_keys", product: demoProduct(602), piece: { progression: [48, 53, 55, 48], melody: [4, 7, 12, null, 7, 4, null, 0], bpm: 70, bars: 8, minor: false } },
    { seller: "mira_cello", product: demoProduct(603), piece: { progression: [45, 45, 41, 43], melody: [null, 0, null, 3, null, 7, null, null], bpm: 60, bars: 8, minor: true } },
  ] satisfies { seller: string; product: string; piece: DemoPiece }[];
  for (const pack of packs) {
    const token = await signIn(pack.seller);
    const product = await call<{ slug: string; preview_file_id?: string | null; has_preview?: boolean }>(base, `/v1/products/${pack.product}`, { token });
    if (product.preview_file_id) continue;
    // The deliverable is the whole piece; the preview, its first bars.
    const preview = await uploadWav(base, token, `${product.slug}-preview.wav`, wavBytes(renderPiece({ ...pack.piece, bars: 2 }, pack.piece.bpm)));
    const deliverable = await uploadWav(base, token, `${product.slug}.wav`, wavBytes(renderPiece(pack.piece, pack.piece.bpm)));
    await call(base, `/v1/products/${pack.product}`, {
      method: "PATCH",
      token,
      body: JSON.stringify({ preview_file_id: preview, download_file_ids: [deliverable] }),
    });
    log(`shop: ${base}/v1/products/${product.slug} (preview: ${base}/v1/products/${pack.product}/preview)`);
  }

  const sam = await signIn("sam_listens");
  const library = await call<{ items: { product: { id: string } }[] }>(base, "/v1/me/purchases?limit=100", { token: sam });
  if (library.items.some((p) => p.product.id === demoProduct(603))) return;
  await call(base, "/v1/me/cart/items", { method: "POST", token: sam, body: JSON.stringify({ product_id: demoProduct(603) }) });
  const placed = await call<{ order: { order_number: string; status: string } }>(base, "/v1/me/checkout", {
    method: "POST",
    token: sam,
    headers: { "idempotency-key": "demo-rain-pack" },
    body: JSON.stringify({}),
  });
  log(`@sam_listens got the free rain pack: order ${placed.order.order_number} (${placed.order.status}), see GET /v1/me/purchases`);
}

/**
 * Listening, so the charts and the creators' analytics have something to show: once the demo
 * tracks are ready, three listeners play them (through the API, once: a second run finds @sam's
 * history and plays nothing), then the hourly and daily Cron Triggers run through wrangler's
 * scheduled endpoint — trending, analytics aggregates and user statistics are built as in production.
 */
async function seedPlays(base: string, signIn: (username: string) => Promise<string>, trackIds: string[], log: (line: string) => void): Promise<void> {
  const sam = await signIn("sam_listens");
  const history = await call<{ items: unknown[] }>(base, "/v1/me/history?limit=1", { token: sam });
  if (history.items.length === 0 && trackIds.length > 0) {
    for (let tries = 0; tries < 240; tries++) {
      const states = await Promise.all(trackIds.map((id) => call<{ status: string }>(base, `/v1/tracks/${id}/status`, { token: sam })));
      if (states.every((s) => s.status !== "pending" && s.status !== "processing")) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const listeners = [sam, await signIn("jo_crate"), await signIn("mira_cello")];
    for (const [i, trackId] of trackIds.entries()) {
      for (const [j, token] of listeners.slice(0, listeners.length - (i % listeners.length)).entries()) {
        await call(base, `/v1/tracks/${trackId}/plays`, {
          method: "POST",
          token,
          body: JSON.stringify({ played_duration: 35 + 10 * j, source: j % 2 ? "playlist" : "direct", device_type: j % 2 ? "mobile" : "web" }),
        }).catch(() => undefined); // a track that failed processing cannot be played
      }
    }
  }
  for (const cron of ["0 * * * *", "30 3 * * *"]) {
    await fetch(`${base}/__scheduled?cron=${encodeURIComponent(cron)}`);
  }
  log(`the week's chart: ${base}/v1/tracks/trending; a creator's analytics: GET ${base}/v1/me/analytics/overview`);
}

/**
 * A listener's side of the demo, through the API as well: @sam_listens fills a collaborative
 * playlist with the demo tracks and invites @jo_crate to edit it (who accepts and adds to it), likes
 * them, and leaves a comment pinned to a moment of one (once processing has measured its length).
 * Done once: a second `npm run dev` finds the playlist and leaves everything alone.
 */
async function seedListening(base: string, signIn: (username: string) => Promise<string>, trackIds: string[], log: (line: string) => void): Promise<void> {
  // The database seed made the (empty) playlist; it is filled once.
  const name = "Rainy commute";
  const sam = await signIn("sam_listens");
  const mine = await call<{ items: { id: string; name: string; track_count: number }[] }>(base, "/v1/me/playlists?limit=100", { token: sam });
  const playlist =
    mine.items.find((p) => p.name === name) ??
    (await call<{ id: string; track_count: number }>(base, "/v1/playlists", {
      method: "POST",
      token: sam,
      body: JSON.stringify({ name, description: "Soft beats for the bus on a grey morning.", visibility: "public" }),
    }));
  if (playlist.track_count > 0 || trackIds.length < 3) return;
  for (const trackId of trackIds.slice(0, 2)) {
    await call(base, `/v1/playlists/${playlist.id}/tracks`, { method: "POST", token: sam, body: JSON.stringify({ track_id: trackId }) });
  }
  await call(base, `/v1/playlists/${playlist.id}/collaborators`, { method: "POST", token: sam, body: JSON.stringify({ username: "jo_crate", permission: "edit" }) });
  const jo = await signIn("jo_crate");
  await call(base, `/v1/me/playlist-invitations/${playlist.id}/accept`, { method: "POST", token: jo });
  await call(base, `/v1/playlists/${playlist.id}/tracks`, { method: "POST", token: jo, body: JSON.stringify({ track_id: trackIds[2], position: 0 }) });
  await call(base, `/v1/playlists/${playlist.id}/follow`, { method: "PUT", token: jo });
  for (const trackId of trackIds) await call(base, `/v1/tracks/${trackId}/like`, { method: "PUT", token: sam });
  log(`playlist "${name}" by @sam_listens, edited with @jo_crate: ${base}/v1/playlists/${playlist.id}`);

  // A timed comment needs the track's measured length: wait (up to a minute) for processing.
  const commented = trackIds[0]!;
  for (let tries = 0; tries < 120; tries++) {
    const status = await call<{ status: string }>(base, `/v1/tracks/${commented}/status`, { token: sam });
    if (status.status === "ready") {
      const comment = await call<{ id: string }>(base, `/v1/tracks/${commented}/comments`, {
        method: "POST",
        token: sam,
        body: JSON.stringify({ content: "This chord change gets me every time.", timestamp_seconds: 12 }),
      });
      await call(base, `/v1/tracks/${commented}/comments`, { method: "POST", token: jo, body: JSON.stringify({ content: "Same here!", parent_comment_id: comment.id }) });
      log(`comments on ${base}/v1/tracks/${commented}/comments`);
      return;
    }
    if (status.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
