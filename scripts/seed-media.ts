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
  for (const track of TRACKS) {
    let token = tokens.get(track.username);
    if (!token) {
      const signedIn = await call<{ session: { accessToken: string } }>(base, "/v1/auth/login", {
        method: "POST",
        body: JSON.stringify({ identifier: track.username, password: DEMO_PASSWORD }),
      });
      token = signedIn.session.accessToken;
      tokens.set(track.username, token);
    }
    const existing = await call<{ items: { title: string }[] }>(base, `/v1/users/${track.username}/tracks?limit=50`, { token });
    if (existing.items.some((t) => t.title === track.title)) continue;

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
    log(`track "${track.title}" by @${track.username}: ${base}/v1/tracks/${created.id} (processing in the local queue)`);
  }
}
