import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { json, optionalBearer, problems } from "./responses";
import {
  CreateTrackSchema,
  PlayRecordedSchema,
  RecordPlaySchema,
  StreamSchema,
  TrackIdParamSchema,
  TrackListQuerySchema,
  TrackListSchema,
  TrackSchema,
  TrackStatusSchema,
  UpdateTrackSchema,
  UsernameParamSchema,
} from "./schemas";
import { signedIn, jsonBody } from "../../lib/openapi";

const tags = ["Tracks"];

const VISIBILITY_RULES =
  "Public and unlisted tracks are visible to anyone, private ones to their creator only; anyone else gets 404, as for a track that does not exist. Deleted tracks, and tracks of deleted or banned accounts, are 404. A request with an invalid or expired token is answered 401 (403 for a banned account), not anonymously.";

export const createTrackRoute = createRoute({
  method: "post",
  path: "/v1/tracks",
  tags,
  summary: "Create a track from an uploaded audio file",
  description:
    "The file must be one of your live audio files (WAV, FLAC or MP3, from a completed upload) and not already the audio of another of your tracks; the cover, if any, one of your images. The track (status `pending`) and its processing job (file_conversions) are created together, then the job is queued: poll GET /v1/tracks/{id}/status until `ready`. If the queue is unavailable the answer is 503 (Location names the saved track): queue it again with POST /v1/tracks/{id}/reprocess. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(CreateTrackSchema) },
  responses: {
    201: json("The new track, pending processing", TrackSchema),
    401: problems[401],
    403: problems[403],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});

export const getTrackRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}",
  tags,
  summary: "A track",
  description: `${VISIBILITY_RULES} The processing error is shown to the owner only. \`stream\` is null until the track is ready; a private track's media URLs are signed and expire. One database round trip.`,
  security: optionalBearer,
  request: { params: TrackIdParamSchema },
  responses: { 200: json("The track", TrackSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const getTrackStatusRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/status",
  tags,
  summary: "A track's processing status (for polling)",
  description: `pending → processing (progress 0-100) → ready, or failed (the reason is shown to the owner). ${VISIBILITY_RULES} Not cached. One database round trip.`,
  security: optionalBearer,
  request: { params: TrackIdParamSchema },
  responses: { 200: json("The status", TrackStatusSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const updateTrackRoute = createRoute({
  method: "patch",
  path: "/v1/tracks/{id}",
  tags,
  summary: "Change a track (its creator)",
  description:
    "Metadata, visibility, is_downloadable and the cover (an image of yours, or null to remove it); fields left out are unchanged, null clears an optional one. A private track is 404 to anyone else, another's visible track 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: TrackIdParamSchema, body: jsonBody(UpdateTrackSchema) },
  responses: { 200: json("The track as changed", TrackSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const deleteTrackRoute = createRoute({
  method: "delete",
  path: "/v1/tracks/{id}",
  tags,
  summary: "Delete a track (its creator, or a moderator)",
  description:
    "A soft delete: the track disappears at once (404 everywhere). Moderators and admins may delete anyone's track; that is written to the audit log. A private track is 404 to anyone else, another's visible track 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: TrackIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const reprocessTrackRoute = createRoute({
  method: "post",
  path: "/v1/tracks/{id}/reprocess",
  tags,
  summary: "Process a failed or stuck track again (its creator)",
  description:
    "For a track that failed, whose job could not be queued, or that has made no progress for 15 minutes: a new processing job is created and queued, and the track is pending again. 409 for a ready track or one being processed. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: TrackIdParamSchema },
  responses: {
    202: json("The track, pending processing", TrackSchema),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    422: problems[422],
    503: problems[503],
  },
});

export const listCreatorTracksRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/tracks",
  tags,
  summary: "A creator's tracks",
  description:
    "Newest first, by cursor (`next_cursor`, null on the last page). The creator sees all their tracks, private and unfinished ones included; everyone else sees the public, ready ones (unlisted tracks are never listed). A deleted or banned account, or a private profile, is 404 to others. Items have no waveform. One database round trip.",
  security: optionalBearer,
  request: { params: UsernameParamSchema, query: TrackListQuerySchema },
  responses: { 200: json("A page of tracks", TrackListSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const recordPlayRoute = createRoute({
  method: "post",
  path: "/v1/tracks/{id}/plays",
  tags,
  summary: "Report a play",
  description:
    "Signed in or not (anonymous plays are recorded without a user). The completion is computed from the track's measured duration. Every play is written to the listening history (201); one of at least 30 seconds also counts: play_count goes up (counted: true). The track must be visible to you and ready (409 otherwise). One database round trip.",
  security: optionalBearer,
  request: { params: TrackIdParamSchema, body: jsonBody(RecordPlaySchema) },
  responses: {
    201: json("Recorded (counted: whether it was at least 30 seconds)", PlayRecordedSchema),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});

export const streamRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/stream",
  tags,
  summary: "Where to play a track",
  description: `The HLS master playlist's URL. For a private track (its owner only) the URL is signed and expires (4-5 hours): every playlist and segment URL inside carries the signature, so players that cannot send headers work. ${VISIBILITY_RULES} 409 while the track is not ready. One database round trip.`,
  security: optionalBearer,
  request: { params: TrackIdParamSchema },
  responses: { 200: json("The stream", StreamSchema), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
});
