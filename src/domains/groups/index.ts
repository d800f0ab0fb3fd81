import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverNotifications } from "../notifications/notify";
import { viewerOf } from "../tracks/viewer";
import { createGroup } from "./create-group";
import { findGroup } from "./find-group";
import { listMembers } from "./list-members";
import { discoverGroups, listMyGroups } from "./list-groups";
import {
  approveRequestRoute,
  banMemberRoute,
  joinGroupRoute,
  kickMemberRoute,
  leaveGroupRoute,
  listMembersRoute,
  listRequestsRoute,
  rejectRequestRoute,
  setRoleRoute,
  transferGroupRoute,
  unbanMemberRoute,
} from "./member-routes";
import { joinGroup, leaveGroup, transferGroup } from "./membership";
import { banMember, kickMember, setMemberRole, unbanMember } from "./moderation";
import { approveRequest, listRequests, rejectRequest } from "./requests";
import { serveGroupImage } from "./images";
import { createGroupRoute, deleteGroupRoute, discoverGroupsRoute, getGroupRoute, groupAvatarRoute, groupBannerRoute, myGroupsRoute, updateGroupRoute } from "./routes";
import { deleteGroup, updateGroup } from "./update-group";

/**
 * Groups (spec §9.8–§9.9): create, discover, read, change and delete groups; their avatar and banner; join (or ask to),
 * leave, hand over; join requests; members, roles, kicks and bans. Group posts live in the posts
 * domain, which reads membership from group_members ('active' = member). Every permission check
 * is inside the statement that does the work (./access.ts).
 */
export const groups = createRouter()
  .openapi(createGroupRoute, async (c) => c.json(await createGroup(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(discoverGroupsRoute, async (c) => c.json(await discoverGroups(c.var.db, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(myGroupsRoute, async (c) => c.json(await listMyGroups(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(getGroupRoute, async (c) => c.json(await findGroup(c.var.db, c.req.valid("param").slug, viewerOf(c)?.userId ?? null), 200))
  .openapi(updateGroupRoute, async (c) => c.json(await updateGroup(c.var.db, c.req.valid("param").slug, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(deleteGroupRoute, async (c) => {
    await deleteGroup(c.var.db, c.req.valid("param").slug, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(groupAvatarRoute, async (c) => (await serveGroupImage(c, "avatar", c.req.valid("param"))) as never)
  .openapi(groupBannerRoute, async (c) => (await serveGroupImage(c, "banner", c.req.valid("param"))) as never)
  .openapi(joinGroupRoute, async (c) => c.json(await joinGroup(c.var.db, c.req.valid("param").slug, currentUser(c).userId), 200))
  .openapi(leaveGroupRoute, async (c) => {
    await leaveGroup(c.var.db, c.req.valid("param").slug, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(transferGroupRoute, async (c) => c.json(await transferGroup(c.var.db, c.req.valid("param").slug, currentUser(c).userId, c.req.valid("json").username), 200))
  .openapi(listMembersRoute, async (c) => c.json(await listMembers(c.var.db, c.req.valid("param").slug, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(listRequestsRoute, async (c) => c.json(await listRequests(c.var.db, c.req.valid("param").slug, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(approveRequestRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    const { member, notifications } = await approveRequest(c.var.db, slug, currentUser(c).userId, username);
    deliverNotifications(c, notifications);
    return c.json(member, 200);
  })
  .openapi(rejectRequestRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    await rejectRequest(c.var.db, slug, currentUser(c).userId, username);
    return c.body(null, 204);
  })
  .openapi(setRoleRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    return c.json(await setMemberRole(c.var.db, slug, currentUser(c).userId, username, c.req.valid("json").role), 200);
  })
  .openapi(kickMemberRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    await kickMember(c.var.db, slug, currentUser(c).userId, username);
    return c.body(null, 204);
  })
  .openapi(banMemberRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    return c.json(await banMember(c.var.db, slug, currentUser(c).userId, username), 200);
  })
  .openapi(unbanMemberRoute, async (c) => {
    const { slug, username } = c.req.valid("param");
    await unbanMember(c.var.db, slug, currentUser(c).userId, username);
    return c.body(null, 204);
  });
