import { sql } from "drizzle-orm";
import { slugCandidates, slugFromName as slugOf } from "../../lib/slug";
import type { Database } from "../../db/client";
import { ApiError } from "../../lib/errors";
import { postgresCode } from "../../lib/database-errors";
import { selectGroup, toGroup, type GroupRow } from "./group-view";
import { imageError, imageMimeColumns, imagesOk } from "./images";
import type { CreateGroupInput, Group } from "./schemas";

const MAX_SLUG = 100;

/** The slug of a group's name (see src/lib/slug.ts). */
export const slugFromName = (name: string) => slugOf(name, MAX_SLUG, "group");

/** The derived slug, then variants with a random suffix (see src/lib/slug.ts). */
const candidates = (name: string) => slugCandidates(name, MAX_SLUG, "group");

/**
 * POST /v1/groups. One batch (one round trip, one transaction): the group and its creator as the
 * active 'owner' member in one statement (trg_group_members_member_count makes member_count 1),
 * then the group as its owner sees it (a second statement, which sees the counter). An avatar or
 * banner must be one of the creator's live image files (422 otherwise). A slug given
 * and taken is 409; a derived one takes the first free of the name's slug and two suffixed
 * variants (a race to the same one is also 409).
 */
export async function createGroup(db: Database, userId: string, input: CreateGroupInput): Promise<Group> {
  const id = crypto.randomUUID();
  const slugs = input.slug ? [input.slug] : candidates(input.name);
  try {
    const [created, read] = await db.batch([
      db.execute<{ id: string | null; avatar_mime: string | null; banner_mime: string | null }>(sql`
        WITH slug AS (
          SELECT c.s FROM unnest(ARRAY[${sql.join(slugs.map((s) => sql`${s}`), sql`, `)}]::text[]) WITH ORDINALITY AS c(s, n)
           WHERE NOT EXISTS (SELECT 1 FROM groups x WHERE x.slug = c.s)
           ORDER BY c.n LIMIT 1
        ),
        created AS (
          INSERT INTO groups (id, name, slug, description, group_type, requires_approval, creator_id, avatar_file_id, banner_file_id)
          SELECT ${id}, ${input.name}, s, ${input.description ?? null}, ${input.group_type}, ${input.requires_approval}, ${userId},
                 ${input.avatar_file_id ?? null}::uuid, ${input.banner_file_id ?? null}::uuid
            FROM slug WHERE ${imagesOk(userId, input)}
          RETURNING id, creator_id
        ),
        owner AS (
          INSERT INTO group_members (group_id, user_id, role, status, approved_at)
          SELECT id, creator_id, 'owner', 'active', now() FROM created
        )
        SELECT (SELECT id FROM created) AS id, ${imageMimeColumns(userId, input)}`),
      db.execute<GroupRow>(sql`${selectGroup(sql`groups`, userId)} AND g.id = ${id}`),
    ]);
    const row = read.rows[0];
    if (row) return toGroup(row);
    const invalid = imageError(input, created.rows[0]!);
    if (invalid) throw invalid;
  } catch (err) {
    if (postgresCode(err) !== "23505") throw err;
  }
  throw new ApiError("conflict", input.slug ? "A group with this slug already exists." : "No free slug was found for this name; choose one.", {
    errors: [{ path: "json.slug", message: "is already taken" }],
  });
}
