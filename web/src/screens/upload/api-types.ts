/**
 * The API shapes this screen uses, from the Worker's own zod schemas where that is free (type-only:
 * nothing of the server reaches the bundle).
 */
import type { z } from "zod";
import type { CreateTrackSchema, TrackStatusSchema } from "../../../../src/domains/tracks/schemas";

export type { Track, Visibility } from "../../../../src/domains/tracks/schemas";

/** POST /v1/tracks, as the client sends it (zod's input side). */
export type CreateTrackBody = z.input<typeof CreateTrackSchema>;
/** GET /v1/tracks/:id/status. */
export type TrackStatus = z.infer<typeof TrackStatusSchema>;

/*
 * The uploads domain's schemas (src/domains/uploads/schemas.ts: UploadSchema, StoredFileSchema)
 * cannot be imported here even as types: that file also builds problem schemas from
 * src/lib/problem.ts, whose imports reach the Worker's Env and its Durable Object classes, which
 * do not type-check without the workers types. These mirror the fields the screen reads.
 */

/** GET /v1/uploads/:id (and what creating an upload or sending a part answers). */
export interface UploadView {
  id: string;
  filename: string;
  mime_type: string;
  kind: "audio" | "image";
  size: number;
  sha256: string;
  status: "pending" | "uploading" | "processing" | "completed" | "failed" | "aborted" | "expired";
  part_size: number;
  total_parts: number;
  parts_uploaded: number;
  bytes_uploaded: number;
  parts: { part_number: number; size: number }[];
  missing_parts: number[];
  file_id: string | null;
  error: string | null;
  expires_at: string;
  created_at: string;
}

/** POST /v1/uploads/:id/complete: the stored file. */
export interface StoredFile {
  id: string;
  upload_id: string;
  filename: string;
  mime_type: string;
  kind: "audio" | "image";
  extension: string;
  size: number;
  sha256: string;
  url: string;
  created_at: string;
}
