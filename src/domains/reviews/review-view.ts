import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import type { Review } from "./schemas";

/**
 * A review as the API returns it, built in SQL from `r` (product_reviews) so every endpoint answers
 * in its one statement: the reviewer's card is read by id (users + user_profiles).
 */
export const reviewJson = (r = "r"): SQL =>
  sql.raw(`json_build_object(
    'id', ${r}.id, 'product_id', ${r}.product_id,
    'reviewer', (SELECT json_build_object('id', ru.id, 'username', ru.username, 'display_name', ru.display_name, 'avatar_url', rp.avatar_url)
                   FROM users ru LEFT JOIN user_profiles rp ON rp.user_id = ru.id WHERE ru.id = ${r}.user_id),
    'rating', ${r}.rating, 'title', ${r}.title, 'content', ${r}.content, 'is_verified_purchase', ${r}.is_verified_purchase,
    'seller_response', CASE WHEN ${r}.seller_response IS NULL THEN NULL ELSE json_build_object(
        'content', ${r}.seller_response,
        'responded_at', to_char(${r}.seller_responded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
    'created_at', to_char(${r}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updated_at', to_char(${r}.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`);

export const toReview = (value: unknown): Review => parseJson<Review>(value)!;

/**
 * A product whose reviews may be read or written: not deleted, and its seller neither deleted nor
 * banned (their shop is hidden with them). `p` is the products alias.
 */
export const productShown = (p = "p"): SQL =>
  sql.raw(`${p}.deleted_at IS NULL AND EXISTS (SELECT 1 FROM users su WHERE su.id = ${p}.seller_id AND su.deleted_at IS NULL AND NOT su.is_banned)`);
