/**
 * The playlists, likes and history shapes this screen uses, from the API's own zod schemas
 * (type-only: nothing of the server reaches the bundle).
 */
import type { z } from "zod";
import type {
  CollaboratorListSchema,
  CollaboratorSchema,
  InvitationListSchema,
  InvitationSchema,
  PlaylistListSchema,
  PlaylistPositionSchema,
  PlaylistSchema,
  PlaylistWithTracksSchema,
  InviteSchema,
  UpdatePlaylistSchema,
  CreatePlaylistSchema,
} from "../../../../src/domains/playlists/schemas";
import type { LikeListSchema } from "../../../../src/domains/likes/schemas";
import type { HistorySchema } from "../../../../src/domains/history/schemas";

export type Playlist = z.infer<typeof PlaylistSchema>;
export type PlaylistWithTracks = z.infer<typeof PlaylistWithTracksSchema>;
export type PlaylistItem = PlaylistWithTracks["tracks"]["items"][number];
export type PlaylistList = z.infer<typeof PlaylistListSchema>;
export type PlaylistPosition = z.infer<typeof PlaylistPositionSchema>;
export type Collaborator = z.infer<typeof CollaboratorSchema>;
export type CollaboratorList = z.infer<typeof CollaboratorListSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type InvitationList = z.infer<typeof InvitationListSchema>;
export type LikeList = z.infer<typeof LikeListSchema>;
export type History = z.infer<typeof HistorySchema>;
export type Visibility = Playlist["visibility"];
export type Permission = Collaborator["permission"];
export type CreatePlaylistBody = z.input<typeof CreatePlaylistSchema>;
export type UpdatePlaylistBody = z.input<typeof UpdatePlaylistSchema>;
export type InviteBody = z.input<typeof InviteSchema>;

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  public: "Public — anyone can find it",
  unlisted: "Unlisted — anyone with the link",
  private: "Private — you and your collaborators",
};

export const PERMISSION_LABELS: Record<Permission, string> = {
  view: "Can view",
  edit: "Can edit tracks",
  admin: "Admin (tracks, details, collaborators)",
};
