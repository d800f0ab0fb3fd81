import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { selectGroup, toGroup, type GroupRow } from "./group-view";
import type { Group } from "./schemas";

/**
 * GET /v1/groups/:slug: any live group, private ones included (their page says what one needs to
 * ask to join; their members and posts stay with members), with the viewer's membership, request
 * or ban. One statement, on idx_groups_slug.
 */
export async function findGroup(db: Database, slug: string, viewerId: string | null): Promise<Group> {
  const { rows } = await db.execute<GroupRow>(sql`${selectGroup(sql`groups`, viewerId)} AND g.slug = ${slug.toLowerCase()}`);
  const row = rows[0];
  if (!row) throw notFound("This group");
  return toGroup(row);
}
