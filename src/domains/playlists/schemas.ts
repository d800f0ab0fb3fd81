import { z } from "@hono/zod-openapi";
import { collaboratorPermissions, collaboratorStatuses } from "../../db/schema/streaming";
import { TrackSummarySchema, UsernameParamSchema, VISIBILITIES } from "../tracks/schemas";

/**
 * The shapes of the playlists domain, shared by routes, services and tests. Limits mirror
 * migrations/0004_streaming.sql (name VARCHAR(255), permission/status CHECKs), so bad input is a
 * 422 with a field path, never a database error.
 */

export { UsernameParamSchema };

/** A playlist holds at most this many tracks: GET pages them, edits stay one cheap statement. */
export const MAX_PLAYLIST_TRACKS = 5000;

export const PERMISSIONS = collaboratorPermissions;
export type Permission = (typeof PERMISSIONS)[number];
export const ROLES = ["owner", ...PERMISSIONS] as const;
export type Role = (typeof ROLES)[number];
export const COLLABORATOR_STATUSES = collaboratorStatuses;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

const name = z.string().trim().min(1).max(255).refine(noControl, "must not contain control characters").openapi({ example: "Late night drives" });
const description = z.string().trim().max(5000).refine(noControlButNewlines, "must not contain control characters").nullable().optional();

const playlistFields = {
  name,
  description,
  visibility: z.enum(VISIBILITIES).optional().openapi({ description: "Defaults to public; changed by the owner only" }),
  is_collaborative: z.boolean().optional().openapi({ description: "Whether edit/admin collaborators may edit (owner only); off, they can only view" }),
  cover_file_id: z.uuid().nullable().optional().openapi({ description: "One of your image files (image/*); null for none" }),
};

export const CreatePlaylistSchema = z.object(playlistFields).strict().openapi("CreatePlaylist");
export type CreatePlaylistInput = z.infer<typeof CreatePlaylistSchema>;

export const UpdatePlaylistSchema = z
  .object({ ...playlistFields, name: name.optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdatePlaylist");
export type UpdatePlaylistInput = z.infer<typeof UpdatePlaylistSchema>;

export const DuplicatePlaylistSchema = z
  .object({ name: name.optional().openapi({ description: 'Defaults to "<name> (copy)"' }), visibility: z.enum(VISIBILITIES).optional().openapi({ description: "Defaults to private" }) })
  .strict()
  .openapi("DuplicatePlaylist");

const id = (param: string) => z.uuid().openapi({ param: { name: param, in: "path" } });
export const PlaylistIdParamSchema = z.object({ id: id("id") });
export const PlaylistTrackParamSchema = z.object({ id: id("id"), trackId: id("trackId") });
export const CollaboratorParamSchema = z.object({ id: id("id"), userId: id("userId") });
export const InvitationParamSchema = z.object({ playlistId: id("playlistId") });
export const PlaylistCoverParamSchema = z.object({ id: id("id"), fileId: id("fileId") });

const position = z.number().int().min(0).max(MAX_PLAYLIST_TRACKS).openapi({ description: "0-based; past the end means the end" });
export const AddTrackSchema = z
  .object({ track_id: z.uuid(), position: position.optional().openapi({ description: "Where to insert (0-based); appended when left out" }) })
  .strict()
  .openapi("AddPlaylistTrack");
export const MoveTrackSchema = z.object({ position }).strict().openapi("MovePlaylistTrack");

export const InviteSchema = z
  .object({
    username: UsernameParamSchema.shape.username,
    permission: z.enum(PERMISSIONS).default("edit"),
    expires_in_days: z.number().int().min(1).max(30).default(7).openapi({ description: "How long the invitation may be accepted (1-30 days, default 7)" }),
  })
  .strict()
  .openapi("InviteCollaborator");
export type InviteInput = z.infer<typeof InviteSchema>;
export const ChangePermissionSchema = z.object({ permission: z.enum(PERMISSIONS) }).strict().openapi("ChangeCollaboratorPermission");

export const PlaylistTracksQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(MAX_PLAYLIST_TRACKS).default(0).openapi({ description: "First position of the page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

const UserRefSchema = z.object({ id: z.uuid(), username: z.string() }).openapi("PlaylistUserRef");
const OwnerSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("PlaylistOwner");

export const PlaylistSchema = z
  .object({
    id: z.uuid(),
    owner: OwnerSchema,
    name: z.string(),
    description: z.string().nullable(),
    visibility: z.enum(VISIBILITIES),
    is_collaborative: z.boolean(),
    cover_url: z.string().nullable().openapi({ description: "The cover image (relative to the API origin); signed for private playlists" }),
    cover_expires_at: timestamp.nullable().openapi({ description: "When a signed cover_url expires; null when unsigned" }),
    track_count: z.number().int(),
    duration_seconds: z.number().int(),
    follower_count: z.number().int(),
    my_role: z.enum(ROLES).nullable().openapi({ description: "Your role: owner, or your accepted permission (edit/admin count as view while the playlist is not collaborative); null for none" }),
    followed_by_me: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Playlist");
export type Playlist = z.infer<typeof PlaylistSchema>;

export const PlaylistItemSchema = z
  .object({ position: z.number().int(), added_at: timestamp, added_by: UserRefSchema.nullable(), track: TrackSummarySchema })
  .openapi("PlaylistItem");
export type PlaylistItem = z.infer<typeof PlaylistItemSchema>;

export const PlaylistWithTracksSchema = PlaylistSchema.extend({
  tracks: z
    .object({
      offset: z.number().int(),
      limit: z.number().int(),
      items: z.array(PlaylistItemSchema).openapi({ description: "Positions offset..offset+limit-1, in order; tracks you may not see are left out (positions unchanged)" }),
    })
    .openapi("PlaylistTracksPage"),
}).openapi("PlaylistWithTracks");

export const PlaylistListSchema = z.object({ items: z.array(PlaylistSchema), next_cursor: z.string().nullable() }).openapi("PlaylistList");

export const PlaylistPositionSchema = z.object({ track_id: z.uuid(), position: z.number().int(), track_count: z.number().int(), duration_seconds: z.number().int() }).openapi("PlaylistPosition");

export const FollowSchema = z.object({ following: z.boolean(), follower_count: z.number().int() }).openapi("PlaylistFollow");

export const CollaboratorSchema = z
  .object({
    user: OwnerSchema,
    permission: z.enum(PERMISSIONS),
    status: z.enum(COLLABORATOR_STATUSES),
    invited_by: UserRefSchema.nullable(),
    invited_at: timestamp,
    accepted_at: timestamp.nullable(),
    expires_at: timestamp.nullable().openapi({ description: "Until when a pending invitation may be accepted" }),
  })
  .openapi("PlaylistCollaborator");
export type Collaborator = z.infer<typeof CollaboratorSchema>;
export const CollaboratorListSchema = z.object({ items: z.array(CollaboratorSchema) }).openapi("PlaylistCollaboratorList");

export const InvitationSchema = z
  .object({
    playlist: z.object({ id: z.uuid(), name: z.string(), owner: UserRefSchema }),
    permission: z.enum(PERMISSIONS),
    invited_by: UserRefSchema.nullable(),
    invited_at: timestamp,
    expires_at: timestamp.nullable(),
  })
  .openapi("PlaylistInvitation");
export const InvitationListSchema = z.object({ items: z.array(InvitationSchema), next_cursor: z.string().nullable() }).openapi("PlaylistInvitationList");
