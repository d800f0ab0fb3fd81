import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { changePermission, listCollaborators, removeCollaborator } from "./collaborators";
import { servePlaylistCover } from "./cover";
import { createPlaylist } from "./create-playlist";
import { deletePlaylist } from "./delete-playlist";
import { duplicatePlaylist } from "./duplicate-playlist";
import { addTrack, moveTrack, removeTrack } from "./edit-tracks";
import { findPlaylist } from "./find-playlist";
import { setFollow } from "./follow-playlist";
import { inviteCollaborator, listInvitations, respondToInvitation } from "./invitations";
import { listFollowedPlaylists, listMyPlaylists, listUserPlaylists } from "./list-playlists";
import {
  acceptInvitationRoute,
  changePermissionRoute,
  declineInvitationRoute,
  followPlaylistRoute,
  inviteCollaboratorRoute,
  listCollaboratorsRoute,
  listFollowedPlaylistsRoute,
  listInvitationsRoute,
  listMyPlaylistsRoute,
  listUserPlaylistsRoute,
  removeCollaboratorRoute,
  unfollowPlaylistRoute,
} from "./member-routes";
import {
  addTrackRoute,
  createPlaylistRoute,
  deletePlaylistRoute,
  duplicatePlaylistRoute,
  getPlaylistRoute,
  moveTrackRoute,
  playlistCoverRoute,
  removeTrackRoute,
  updatePlaylistRoute,
} from "./routes";
import { updatePlaylist } from "./update-playlist";

/**
 * Playlists (spec §7.2-§7.3), their collaborators and followers: create, read with a page of
 * tracks, change, delete, duplicate; add, move and remove tracks; covers; invitations and roles;
 * follows; the lists of a user's, your own and followed playlists.
 */
export const playlists = createRouter()
  .openapi(createPlaylistRoute, async (c) => c.json(await createPlaylist(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(getPlaylistRoute, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await findPlaylist(c.var.db, c.env.JWT_SECRET, c.req.valid("param").id, viewer?.userId ?? null, c.req.valid("query")), 200);
  })
  .openapi(updatePlaylistRoute, async (c) =>
    c.json(await updatePlaylist(c.var.db, c.env.JWT_SECRET, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200),
  )
  .openapi(deletePlaylistRoute, async (c) => {
    await deletePlaylist(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(duplicatePlaylistRoute, async (c) =>
    c.json(await duplicatePlaylist(c.var.db, c.env.JWT_SECRET, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201),
  )
  .openapi(addTrackRoute, async (c) => {
    const { track_id, position } = c.req.valid("json");
    return c.json(await addTrack(c.var.db, c.req.valid("param").id, currentUser(c).userId, track_id, position), 201);
  })
  .openapi(moveTrackRoute, async (c) => {
    const { id, trackId } = c.req.valid("param");
    return c.json(await moveTrack(c.var.db, id, currentUser(c).userId, trackId, c.req.valid("json").position), 200);
  })
  .openapi(removeTrackRoute, async (c) => {
    const { id, trackId } = c.req.valid("param");
    await removeTrack(c.var.db, id, currentUser(c).userId, trackId);
    return c.body(null, 204);
  })
  .openapi(playlistCoverRoute, async (c) => (await servePlaylistCover(c, c.req.valid("param"), c.req.valid("query"))) as never)
  .openapi(listUserPlaylistsRoute, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await listUserPlaylists(c.var.db, c.env.JWT_SECRET, c.req.valid("param").username, viewer?.userId ?? null, c.req.valid("query")), 200);
  })
  .openapi(listMyPlaylistsRoute, async (c) => c.json(await listMyPlaylists(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(listFollowedPlaylistsRoute, async (c) => c.json(await listFollowedPlaylists(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(followPlaylistRoute, async (c) => c.json(await setFollow(c.var.db, c.req.valid("param").id, currentUser(c).userId, true), 200))
  .openapi(unfollowPlaylistRoute, async (c) => c.json(await setFollow(c.var.db, c.req.valid("param").id, currentUser(c).userId, false), 200))
  .openapi(listCollaboratorsRoute, async (c) => c.json(await listCollaborators(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(inviteCollaboratorRoute, async (c) => c.json(await inviteCollaborator(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(changePermissionRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    return c.json(await changePermission(c.var.db, id, currentUser(c).userId, userId, c.req.valid("json").permission), 200);
  })
  .openapi(removeCollaboratorRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    await removeCollaborator(c.var.db, id, currentUser(c).userId, userId);
    return c.body(null, 204);
  })
  .openapi(listInvitationsRoute, async (c) => c.json(await listInvitations(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(acceptInvitationRoute, async (c) => c.json(await respondToInvitation(c.var.db, c.req.valid("param").playlistId, currentUser(c).userId, true), 200))
  .openapi(declineInvitationRoute, async (c) => c.json(await respondToInvitation(c.var.db, c.req.valid("param").playlistId, currentUser(c).userId, false), 200));
