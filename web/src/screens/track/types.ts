/**
 * The API shapes the track and user pages use, from the Worker's own zod schemas (type-only:
 * nothing of the server reaches the bundle). Kept here rather than in types/api.ts so screens
 * built in parallel do not edit the same file.
 */
import type { z } from "zod";
import type { CreateCommentSchema } from "../../../../src/domains/comments/schemas";

export type { Track, TrackSummary, PublicProfile, Playlist, Post } from "../../types/api";
export type { Comment } from "../../../../src/domains/comments/schemas";
export type { LikeState } from "../../../../src/domains/likes/schemas";
export type { FollowState } from "../../../../src/domains/follows/schemas";

export type CreateCommentBody = z.input<typeof CreateCommentSchema>;

/** `{ items, next_cursor }`: every paged list of the API. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface TrackStatus {
  id: string;
  status: "pending" | "processing" | "ready" | "failed";
  progress: number;
  error: string | null;
  updated_at: string;
}
