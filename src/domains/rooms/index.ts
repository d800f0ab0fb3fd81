import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { notifyMemberChanged, notifyRoomConfigured } from "../chat/room-object";
import { viewerOf } from "../tracks/viewer";
import { createRoom } from "./create-room";
import { findRoom, findRoomByCode } from "./find-room";
import { acceptInviteRoute, declineInviteRoute, inviteToRoomRoute, myInvitesRoute, revokeInviteRoute } from "./invite-routes";
import { declineInvite, inviteToRoom, listMyInvites, revokeInvite } from "./invites";
import { joinRoom, type JoinResult } from "./join-room";
import { listMembers } from "./list-members";
import { discoverRooms, listMyRooms } from "./list-rooms";
import {
  banMemberRoute,
  joinRoomRoute,
  kickMemberRoute,
  leaveRoomRoute,
  listMembersRoute,
  markReadRoute,
  muteMemberRoute,
  transferRoomRoute,
  unbanMemberRoute,
  unmuteMemberRoute,
  updateMemberRoute,
  updateMyMembershipRoute,
} from "./member-routes";
import { leaveRoom, markRead, transferRoom, updateMyMembership } from "./membership";
import { banMember, kickMember, muteMember, unbanMember, unmuteMember, updateMember } from "./moderation";
import {
  archiveRoomRoute,
  createRoomRoute,
  deleteRoomRoute,
  discoverRoomsRoute,
  getRoomRoute,
  myRoomsRoute,
  roomByCodeRoute,
  unarchiveRoomRoute,
  updateRoomRoute,
} from "./routes";
import { deleteRoom, setArchived, updateRoom } from "./update-room";

/**
 * The answer to a join. Every change the room enforces is told to it after it is stored, also when
 * a repeated request finds it already done: the first may have ended in a 503 before the room heard.
 */
const joined = (result: JoinResult) => ({ room_id: result.room_id, joined: result.joined, membership: result.membership });

/**
 * Chat rooms (spec §8 + chat-data-models): create, discover, read, configure, archive and delete
 * rooms; join (public, by invitation, by code, with a password), leave, hand over; invitations;
 * members, roles, mutes, kicks and bans; read markers. Messages travel through the room's ChatRoom
 * Durable Object; after every change here that the room enforces, the object is told
 * (src/domains/chat/room-object.ts), after the change is stored.
 */
export const rooms = createRouter()
  .openapi(createRoomRoute, async (c) => c.json(await createRoom(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(discoverRoomsRoute, async (c) => c.json(await discoverRooms(c.var.db, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(myRoomsRoute, async (c) => c.json(await listMyRooms(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(roomByCodeRoute, async (c) => {
    viewerOf(c);
    return c.json(await findRoomByCode(c.var.db, c.req.valid("param").code), 200);
  })
  .openapi(getRoomRoute, async (c) => c.json(await findRoom(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null), 200))
  .openapi(updateRoomRoute, async (c) => {
    const { room, config } = await updateRoom(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json"));
    await notifyRoomConfigured(c.env, config);
    return c.json(room, 200);
  })
  .openapi(archiveRoomRoute, async (c) => {
    const { room, config } = await setArchived(c.var.db, c.req.valid("param").id, currentUser(c).userId, true);
    await notifyRoomConfigured(c.env, config);
    return c.json(room, 200);
  })
  .openapi(unarchiveRoomRoute, async (c) => {
    const { room, config } = await setArchived(c.var.db, c.req.valid("param").id, currentUser(c).userId, false);
    await notifyRoomConfigured(c.env, config);
    return c.json(room, 200);
  })
  .openapi(deleteRoomRoute, async (c) => {
    await notifyRoomConfigured(c.env, await deleteRoom(c.var.db, c.req.valid("param").id, currentUser(c).userId));
    return c.body(null, 204);
  })
  .openapi(joinRoomRoute, async (c) => {
    const userId = currentUser(c).userId;
    const result = await joinRoom(c.var.db, userId, { roomId: c.req.valid("param").id, ...c.req.valid("json") });
    await notifyMemberChanged(c.env, result.room_id, userId, result.member, "joined");
    return c.json(joined(result), 200);
  })
  .openapi(leaveRoomRoute, async (c) => {
    const { id } = c.req.valid("param");
    const userId = currentUser(c).userId;
    await leaveRoom(c.var.db, id, userId);
    await notifyMemberChanged(c.env, id, userId, null, "left");
    return c.body(null, 204);
  })
  .openapi(transferRoomRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { result, changes } = await transferRoom(c.var.db, id, currentUser(c).userId, c.req.valid("json").user_id);
    for (const change of changes) await notifyMemberChanged(c.env, id, change.userId, change.member, "updated");
    return c.json(result, 200);
  })
  .openapi(markReadRoute, async (c) => c.json(await markRead(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").seq), 200))
  // Before /members/{userId}: "me" is not a user id.
  .openapi(updateMyMembershipRoute, async (c) => {
    const { id } = c.req.valid("param");
    const userId = currentUser(c).userId;
    const { membership, member } = await updateMyMembership(c.var.db, id, userId, c.req.valid("json"));
    await notifyMemberChanged(c.env, id, userId, member, "updated");
    return c.json(membership, 200);
  })
  .openapi(listMembersRoute, async (c) => c.json(await listMembers(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(updateMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    const { result, member } = await updateMember(c.var.db, id, currentUser(c).userId, userId, c.req.valid("json"));
    await notifyMemberChanged(c.env, id, userId, member, "updated");
    return c.json(result, 200);
  })
  .openapi(muteMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    const { result, member } = await muteMember(c.var.db, id, currentUser(c).userId, userId, c.req.valid("json").minutes);
    await notifyMemberChanged(c.env, id, userId, member, "updated");
    return c.json(result, 200);
  })
  .openapi(unmuteMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    const { result, member } = await unmuteMember(c.var.db, id, currentUser(c).userId, userId);
    await notifyMemberChanged(c.env, id, userId, member, "updated");
    return c.json(result, 200);
  })
  .openapi(kickMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    await kickMember(c.var.db, id, currentUser(c).userId, userId);
    await notifyMemberChanged(c.env, id, userId, null, "kicked");
    return c.body(null, 204);
  })
  .openapi(banMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    const ban = await banMember(c.var.db, id, currentUser(c).userId, userId, c.req.valid("json").reason ?? null);
    await notifyMemberChanged(c.env, id, userId, null, "banned");
    return c.json(ban, 200);
  })
  .openapi(unbanMemberRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    await unbanMember(c.var.db, id, currentUser(c).userId, userId);
    return c.body(null, 204);
  })
  .openapi(inviteToRoomRoute, async (c) => c.json(await inviteToRoom(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").username), 201))
  .openapi(myInvitesRoute, async (c) => c.json(await listMyInvites(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(acceptInviteRoute, async (c) => {
    const userId = currentUser(c).userId;
    const result = await joinRoom(c.var.db, userId, { inviteId: c.req.valid("param").inviteId });
    await notifyMemberChanged(c.env, result.room_id, userId, result.member, "joined");
    return c.json(joined(result), 200);
  })
  .openapi(declineInviteRoute, async (c) => {
    await declineInvite(c.var.db, currentUser(c).userId, c.req.valid("param").inviteId);
    return c.body(null, 204);
  })
  .openapi(revokeInviteRoute, async (c) => {
    const { id, inviteId } = c.req.valid("param");
    await revokeInvite(c.var.db, id, currentUser(c).userId, inviteId);
    return c.body(null, 204);
  });
