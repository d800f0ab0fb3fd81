import { z } from "@hono/zod-openapi";

/**
 * The shapes of the tracks domain, shared by routes, services and tests. JSON is snake_case, the
 * columns' own names where a column is exposed as it is. Limits mirror migrations/0004_streaming.sql
 * (VARCHAR lengths, chk_tracks_bpm_range), so bad input is a 422 with a field path, never a 23514.
 */

export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const TRACK_STATUSES = ["pending", "processing", "ready", "failed"] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

/** The types the HLS pipeline decodes (files.mime_type is the type sniffed when the upload completed). */
export const AUDIO_MIME_TYPES = ["audio/wav", "audio/flac", "audio/mpeg"] as const;

export const PLAY_SOURCES = ["playlist", "album", "search", "direct"] as const;
export const PLAY_DEVICE_TYPES = ["mobile", "desktop", "web"] as const;

/** A play counts (playback_history row, play_count + 1) from this many seconds listened. */
export const COUNTED_PLAY_SECONDS = 30;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

/** Control characters have no place in a title or a name; newlines are fine in a description. */
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

const line = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");
const optionalLine = (max: number) => line(max).nullable().optional();

/**
 * Musical key: a note (A-G, optional # or b) with an optional mode (m, min, minor, maj, major), or a
 * Camelot wheel code (1A-12B) as DJ software writes it. At most 10 characters (VARCHAR(10)).
 */
export const MUSICAL_KEY = /^(?:[A-G](?:#|b|♯|♭)?(?:m|min|maj| minor| major)?|(?:[1-9]|1[0-2])[AB])$/;

const trackFields = {
  title: line(255).openapi({ example: "Night Drive" }),
  description: z.string().trim().max(5000).refine(noControlButNewlines, "must not contain control characters").nullable().optional(),
  artist: optionalLine(255),
  album: optionalLine(255),
  genre: optionalLine(100),
  bpm: z.number().int().min(20).max(999).nullable().optional().openapi({ example: 120 }),
  musical_key: z.string().trim().regex(MUSICAL_KEY, "must be a key such as C, F#m, Bb major or a Camelot code such as 8A").nullable().optional(),
  visibility: z.enum(VISIBILITIES).optional().openapi({ description: "Defaults to public" }),
  is_downloadable: z.boolean().optional().openapi({ description: "Whether listeners may download the original; defaults to false" }),
  cover_art_file_id: z.uuid().nullable().optional().openapi({ description: "One of your image files (image/*); null for none" }),
};

export const CreateTrackSchema = z
  .object({ file_id: z.uuid().openapi({ description: "One of your audio files (WAV, FLAC or MP3), from a completed upload" }), ...trackFields })
  .strict()
  .openapi("CreateTrack");
export type CreateTrackInput = z.infer<typeof CreateTrackSchema>;

export const UpdateTrackSchema = z
  .object({ ...trackFields, title: trackFields.title.optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateTrack");
export type UpdateTrackInput = z.infer<typeof UpdateTrackSchema>;

export const TrackIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const CreatorSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("TrackCreator");

export const StreamSchema = z
  .object({
    master_url: z.string().openapi({ description: "HLS master playlist (relative to the API origin); signed for private tracks", example: "/v1/tracks/0b0e.../hls/master.m3u8" }),
    expires_at: timestamp.nullable().openapi({ description: "When the signature of a signed URL expires; null for unsigned (public and unlisted) URLs" }),
  })
  .openapi("TrackStream");

const ProcessingSchema = z
  .object({
    progress: z.number().int().min(0).max(100),
    error: z.string().nullable().openapi({ description: "Why processing failed; shown to the owner only" }),
  })
  .openapi("TrackProcessing");

const WaveformSchema = z
  .object({
    version: z.number().int(),
    channels: z.number().int(),
    sample_rate: z.number().int(),
    samples_per_pixel: z.number().int(),
    bits: z.number().int(),
    length: z.number().int(),
    data: z.array(z.number().int()).openapi({ description: "min0, max0, min1, max1, ... (-128..127)" }),
  })
  .passthrough()
  .openapi("Waveform", { description: "BBC audiowaveform JSON (version 2), one channel, 8 bits" });

const TrackBaseSchema = z.object({
  id: z.uuid(),
  creator: CreatorSchema,
  title: z.string(),
  description: z.string().nullable(),
  artist: z.string().nullable(),
  album: z.string().nullable(),
  genre: z.string().nullable(),
  bpm: z.number().int().nullable(),
  musical_key: z.string().nullable(),
  visibility: z.enum(VISIBILITIES),
  is_downloadable: z.boolean(),
  cover_url: z.string().nullable().openapi({ description: "The cover image (relative to the API origin); signed for private tracks" }),
  duration_ms: z.number().int().nullable().openapi({ description: "Measured by processing; null until then" }),
  status: z.enum(TRACK_STATUSES),
  processing: ProcessingSchema,
  loudness: z
    .object({
      integrated_lufs: z.number().nullable(),
      true_peak_dbtp: z.number().nullable(),
      replay_gain_db: z.number().nullable().openapi({ description: "ReplayGain 2.0: -18 - integrated LUFS" }),
    })
    .openapi("TrackLoudness"),
  counts: z
    .object({ plays: z.number().int(), likes: z.number().int(), comments: z.number().int(), downloads: z.number().int() })
    .openapi("TrackCounts"),
  stream: StreamSchema.nullable().openapi({ description: "Where to play it; null until the track is ready" }),
  created_at: timestamp,
  updated_at: timestamp,
  published_at: timestamp.nullable().openapi({ description: "When it first became public and ready" }),
});

export const TrackSchema = TrackBaseSchema.extend({ waveform: WaveformSchema.nullable() }).openapi("Track");
export type Track = z.infer<typeof TrackSchema>;

/** A list item: a track without its waveform (kilobytes each; fetch the track for it). */
export const TrackSummarySchema = TrackBaseSchema.openapi("TrackSummary");
export type TrackSummary = z.infer<typeof TrackSummarySchema>;

export const TrackListSchema = z.object({ items: z.array(TrackSummarySchema), next_cursor: z.string().nullable() }).openapi("TrackList");

export const TrackListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const UsernameParamSchema = z.object({
  username: z.string().regex(/^[a-zA-Z0-9_]{3,30}$/, "must be 3-30 letters, digits or underscores").openapi({ example: "ada_lovelace" }),
});

export const TrackStatusSchema = z
  .object({ id: z.uuid(), status: z.enum(TRACK_STATUSES), progress: z.number().int(), error: z.string().nullable(), updated_at: timestamp })
  .openapi("TrackProcessingStatus");

export const RecordPlaySchema = z
  .object({
    played_duration: z.number().int().min(0).max(86_400).openapi({ description: "Seconds actually listened", example: 95 }),
    source: z.enum(PLAY_SOURCES).nullable().optional(),
    source_id: z.uuid().nullable().optional().openapi({ description: "The playlist or album played from" }),
    device_type: z.enum(PLAY_DEVICE_TYPES).nullable().optional(),
  })
  .strict()
  .openapi("RecordPlay");
export type RecordPlayInput = z.infer<typeof RecordPlaySchema>;

export const PlayRecordedSchema = z
  .object({
    counted: z.boolean().openapi({ description: `Whether it counted as a play (at least ${COUNTED_PLAY_SECONDS} s): play_count + 1 (every play is recorded in the history)` }),
    completion_percentage: z.number().int().min(0).max(100),
    play_count: z.number().int(),
  })
  .openapi("PlayRecorded");

/** `?exp=&sig=` of a signed media URL (private tracks). */
export const SignedQuerySchema = z.object({
  exp: z.string().max(12).optional().openapi({ description: "Expiry of a signed URL (unix seconds)" }),
  sig: z.string().max(64).optional().openapi({ description: "Signature of a signed URL (base64url HMAC-SHA-256)" }),
});

/** A processing run: the file_conversions id naming the R2 prefix hls/<track>/<run>/. */
const run = z.uuid().openapi({ param: { name: "run", in: "path" } });
/** Renditions are named by bitrate: 64k, 128k, 256k (DESIGN §5). */
const rendition = z.string().regex(/^[1-9][0-9]{1,3}k$/, "is not a rendition").openapi({ param: { name: "rendition", in: "path" }, example: "128k" });

export const MediaPlaylistParamSchema = TrackIdParamSchema.extend({ run, rendition });
export const SegmentParamSchema = MediaPlaylistParamSchema.extend({
  segment: z.string().regex(/^seg-[0-9]{5}\.mp3$/, "is not a segment name").openapi({ param: { name: "segment", in: "path" }, example: "seg-00000.mp3" }),
});
export const CoverParamSchema = TrackIdParamSchema.extend({ fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }) });
