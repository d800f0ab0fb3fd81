import { sql, type SQL } from "drizzle-orm";

/**
 * The roles of a group, highest first. One role outranks another when it comes earlier; the rules
 * of every write (who may change, kick or ban whom) are written in SQL from these same functions,
 * so a statement and the refusal it explains never disagree.
 */
export const GROUP_ROLES = ["owner", "admin", "moderator", "member"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const GROUP_STATUSES = ["active", "pending", "banned"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

export const rankOf = (role: GroupRole) => GROUP_ROLES.indexOf(role);
export const outranks = (actor: GroupRole, target: GroupRole) => rankOf(actor) < rankOf(target);
/** `role` is at least `minimum` (owner ≥ admin ≥ moderator ≥ member). */
export const atLeast = (role: GroupRole, minimum: GroupRole) => rankOf(role) <= rankOf(minimum);

/**
 * The rank of a role expression, as idx_group_members_group_rank_joined (migrations/0020_groups.sql)
 * indexes it: keep the text identical, or the members list stops using the index.
 */
export const roleRankSql = (column: string): SQL =>
  sql.raw(`(CASE ${column} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'moderator' THEN 2 ELSE 3 END)`);

/** The roles at least `minimum`, as an SQL list for `IN (...)`. */
export const rolesAtLeastSql = (minimum: GroupRole): SQL =>
  sql.raw(GROUP_ROLES.filter((r) => atLeast(r, minimum)).map((r) => `'${r}'`).join(", "));

/** SQL: role expression `actor` outranks role expression `target`. */
export const outranksSql = (actor: SQL, target: SQL): SQL => {
  const pairs = GROUP_ROLES.flatMap((a) => GROUP_ROLES.filter((t) => outranks(a, t)).map((t) => `('${a}', '${t}')`));
  return sql`((${actor})::text, (${target})::text) IN (${sql.raw(pairs.join(", "))})`;
};
