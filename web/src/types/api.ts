/**
 * The API's response and request shapes, taken from the Worker's own zod schemas (type-only: Vite
 * erases these imports, nothing of the server reaches the bundle). A schema change on the server
 * is a type error here. Screens add the re-exports they need.
 */
export type { AuthUser } from "../../../src/domains/auth/schemas";
export type { Me, PublicProfile } from "../../../src/domains/users/schemas";
export type { Feed, FeedItem } from "../../../src/domains/feed/schemas";
export type { Track, TrackSummary } from "../../../src/domains/tracks/schemas";
export type { Post } from "../../../src/domains/posts/schemas";
export type { Playlist, PlaylistItem } from "../../../src/domains/playlists/schemas";

import type { z } from "zod";
import type { IssuedSessionSchema, SignedInSchema } from "../../../src/domains/auth/schemas";
import type { RegisterBodySchema, LoginBodySchema } from "../../../src/domains/auth/schemas";
import type { UpdateMeSchema } from "../../../src/domains/users/inputs";

export type IssuedSession = z.infer<typeof IssuedSessionSchema>;
export type SignedIn = z.infer<typeof SignedInSchema>;
/** What the client sends (zod's input side: optional fields really are optional). */
export type RegisterBody = z.input<typeof RegisterBodySchema>;
export type LoginBody = z.input<typeof LoginBodySchema>;
export type UpdateMeBody = z.input<typeof UpdateMeSchema>;
/** A theme of the `theme` profile field: `auto` follows the system. */
export type ThemeSetting = NonNullable<import("../../../src/domains/users/schemas").Me["profile"]["theme"]>;
