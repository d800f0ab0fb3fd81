import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden } from "../../lib/errors";
import { actorCte, actorColumn, actorIsSql, actorOf, withRole } from "./access";
import { selectGroup, toGroup, type GroupRow } from "./group-view";
import { imageError, imageMimeColumns, imagesOk } from "./images";
import type { Group, UpdateGroupInput } from "./schemas";

/**
 * PATCH /v1/groups/:slug: the owner and admins. One statement: the UPDATE when the actor's role
 * allows it and a new avatar or banner is one of the actor's live image files, and the group as it is now; or what the actor was, to explain the refusal. Making a
 * group private or requiring approval leaves its members and pending requests as they are.
 */
export async function updateGroup(db: Database, slug: string, userId: string, patch: UpdateGroupInput): Promise<Group> {
  const sets: SQL[] = [];
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  if (patch.group_type !== undefined) sets.push(sql`group_type = ${patch.group_type}`);
  if (patch.requires_approval !== undefined) sets.push(sql`requires_approval = ${patch.requires_approval}`);
  // avatar_url and banner_url follow (trg_groups_image_urls)
  if (patch.avatar_file_id !== undefined) sets.push(sql`avatar_file_id = ${patch.avatar_file_id}::uuid`);
  if (patch.banner_file_id !== undefined) sets.push(sql`banner_file_id = ${patch.banner_file_id}::uuid`);
  const { rows } = await db.execute<Partial<GroupRow> & { actor: unknown; avatar_mime: string | null; banner_mime: string | null }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    updated AS (
      UPDATE groups SET ${sql.join(sets, sql`, `)}
       WHERE id = (SELECT group_id FROM actor) AND ${actorIsSql("admin")} AND ${imagesOk(userId, patch)}
      RETURNING *
    )
    SELECT ${actorColumn}, ${imageMimeColumns(userId, patch)}, v.* FROM (SELECT 1) one LEFT JOIN (${selectGroup(sql`updated`, userId)}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toGroup(row as GroupRow);
  withRole(actorOf(row.actor), "admin", "Only the group's owner and admins can change it.");
  const invalid = imageError(patch, { avatar_mime: row.avatar_mime, banner_mime: row.banner_mime });
  if (invalid) throw invalid;
  throw new ApiError("conflict", "Your membership changed while this request ran; try again.");
}

/**
 * DELETE /v1/groups/:slug by its owner: a soft delete, 404 everywhere at once (its members and
 * posts stay with it, for retention and a possible restore). One statement.
 */
export async function deleteGroup(db: Database, slug: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; deleted: boolean }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    deleted AS (
      UPDATE groups SET deleted_at = now() WHERE id = (SELECT group_id FROM actor) AND ${actorIsSql("owner")} RETURNING id
    )
    SELECT ${actorColumn}, EXISTS (SELECT 1 FROM deleted) AS deleted`);
  const row = rows[0]!;
  if (row.deleted) return;
  withRole(actorOf(row.actor), "owner", "Only the group's owner can delete it.");
  throw forbidden("Only the group's owner can delete it.");
}
