import { createRoute } from "@hono/zod-openapi";
import { bytes, optionalBearer, problems } from "./responses";
import { CoverParamSchema, MediaPlaylistParamSchema, SegmentParamSchema, SignedQuerySchema, TrackIdParamSchema } from "./schemas";

const tags = ["Streaming"];

const ACCESS =
  "Public and unlisted tracks: anyone. Private tracks: the owner, by the signed URL (`exp`, `sig`) from GET /v1/tracks/{id}/stream or by bearer token. A forged or expired signature is 403; a track you may not see is 404.";

const partial = { 206: bytes("Part of it (Range)", "audio/mpeg"), 416: problems[416] };

export const masterPlaylistRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/hls/master.m3u8",
  tags,
  summary: "HLS master playlist",
  description: `${ACCESS} The URIs inside name the processing run (\`<run>/128k/index.m3u8\`) and, when the request was signed or the owner's, carry a signature. Cached 60 s. 409 while the track is not ready (or if it failed). One database round trip.`,
  security: optionalBearer,
  request: { params: TrackIdParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The master playlist", "application/vnd.apple.mpegurl"),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});

export const mediaPlaylistRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/hls/{run}/{rendition}/index.m3u8",
  tags,
  summary: "HLS media playlist of one rendition",
  description: `${ACCESS} Versioned by run: cached a day. A signed request needs no database round trip; an unsigned one at most one.`,
  security: optionalBearer,
  request: { params: MediaPlaylistParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The media playlist (VOD)", "application/vnd.apple.mpegurl"),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});

export const segmentRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/hls/{run}/{rendition}/{segment}",
  tags,
  summary: "HLS segment (packed MP3 audio)",
  description: `${ACCESS} Immutable: \`public, max-age=31536000, immutable\` (\`private\` for private tracks, so that no shared cache keeps what only the owner may get). Range requests are honoured. A signed request needs no database round trip; an unsigned one at most one (a short per-isolate cache spares most).`,
  security: optionalBearer,
  request: { params: SegmentParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The segment", "audio/mpeg"),
    ...partial,
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});

export const coverRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/cover/{fileId}",
  tags: ["Tracks"],
  summary: "A track's cover image",
  description: `The track's \`cover_url\`. ${ACCESS} Immutable (a new cover has a new URL). One database round trip.`,
  security: optionalBearer,
  request: { params: CoverParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The image", "image/png", "image/jpeg", "image/webp"),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    416: problems[416],
    422: problems[422],
  },
});

export const downloadRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/download",
  tags: ["Tracks"],
  summary: "Download the original file",
  description:
    "The original upload as an attachment (its name cleaned, with the extension of its real type). Anyone who can see the track may download it when it is downloadable and ready (403 when not downloadable); its creator always may, also by the signed URL of a private track. Range requests are honoured. download_count counts downloads, not requests: a request counts when it starts at the first byte, and not when it is the creator's. One database round trip.",
  security: optionalBearer,
  request: { params: TrackIdParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The original", "audio/wav", "audio/flac", "audio/mpeg"),
    206: bytes("Part of it (Range)", "audio/wav", "audio/flac", "audio/mpeg"),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    416: problems[416],
    422: problems[422],
  },
});
