import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendExecutor } from "../../scripts/database";
import { createPgliteBackend, type Backend } from "../../scripts/dev-db/backends";
import { migrate, type SqlExecutor } from "../../scripts/migrations";

// Every index and constraint name written in schema-origin-v2.md (extracted from its CREATE INDEX
// and CONSTRAINT clauses), which the migrations must carry under the same name.
const SPEC_INDEXES = "idx_users_email_btree idx_users_username_btree idx_users_role_btree idx_users_created_at_desc idx_users_deleted_at_btree idx_users_export_requested_at idx_refresh_tokens_user_id idx_refresh_tokens_token_hash idx_refresh_tokens_expires_at idx_refresh_tokens_is_revoked idx_password_reset_tokens_user_id idx_password_reset_tokens_token_hash idx_password_reset_tokens_expires_at idx_email_verification_tokens_user_id idx_email_verification_tokens_token_hash idx_email_verification_tokens_email idx_password_history_user_id_created_at idx_two_factor_configs_user_id idx_federated_identities_user_id idx_federated_identities_provider idx_federated_identities_provider_user_id idx_login_attempts_identifier_attempted_at idx_login_attempts_ip_address_attempted_at idx_login_attempts_success idx_user_profiles_user_id idx_user_profiles_location idx_user_settings_user_id idx_user_roles_user_id idx_user_roles_role idx_user_badges_user_id idx_user_badges_badge_id idx_badges_slug idx_badges_category idx_files_user_id idx_files_mime_type idx_files_file_hash idx_files_created_at_desc idx_file_uploads_user_id idx_file_uploads_status idx_file_uploads_expires_at idx_file_metadata_file_id idx_file_metadata_genre idx_file_metadata_duration idx_file_conversions_source_file_id idx_file_conversions_status idx_tracks_creator_id idx_tracks_genre idx_tracks_visibility idx_tracks_published_at_desc idx_tracks_play_count_desc idx_tracks_created_at_desc idx_tracks_search_gin idx_playlists_user_id idx_playlists_visibility idx_playlists_created_at_desc idx_playlist_tracks_playlist_id_position idx_playlist_tracks_track_id idx_playlist_tracks_added_by idx_playback_history_user_id_played_at idx_playback_history_track_id idx_track_likes_user_id idx_track_likes_track_id_created_at idx_track_comments_track_id_created_at idx_track_comments_user_id idx_track_comments_parent_comment_id idx_track_comments_timestamp_seconds idx_queues_user_id idx_queue_items_queue_id_position idx_rooms_creator_id idx_rooms_room_type idx_rooms_slug idx_room_members_room_id idx_room_members_user_id idx_room_members_role idx_messages_room_id_created_at idx_messages_sender_id idx_messages_reply_to_id idx_messages_is_pinned idx_messages_content_gin idx_message_reactions_message_id idx_message_reactions_user_id idx_direct_messages_sender_id_created_at idx_direct_messages_recipient_id_created_at idx_direct_messages_is_read idx_direct_messages_conversation idx_user_presence_status idx_user_presence_last_seen_at idx_typing_indicators_room_id_expires_at idx_follows_follower_id idx_follows_following_id idx_follows_created_at_desc idx_blocks_blocker_id idx_blocks_blocked_id idx_posts_user_id_created_at idx_posts_created_at_desc idx_posts_repost_of_id idx_posts_visibility idx_posts_content_gin idx_post_likes_user_id idx_post_likes_post_id_created_at idx_post_comments_post_id_created_at idx_post_comments_user_id idx_post_comments_parent_comment_id idx_hashtags_tag idx_hashtags_usage_count_desc idx_post_hashtags_post_id idx_post_hashtags_hashtag_id_created_at idx_groups_slug idx_groups_creator_id idx_groups_group_type idx_group_members_group_id idx_group_members_user_id idx_group_members_status idx_products_slug idx_products_seller_id idx_products_category idx_products_status idx_products_published_at_desc idx_products_price idx_products_sale_count_desc idx_products_tags_gin idx_products_search_gin idx_product_licenses_product_id idx_carts_user_id idx_cart_items_cart_id idx_cart_items_product_id idx_orders_order_number idx_orders_user_id_created_at idx_orders_status idx_orders_created_at_desc idx_order_items_order_id idx_order_items_product_id idx_order_items_seller_id idx_product_reviews_product_id_created_at idx_product_reviews_user_id idx_product_reviews_rating idx_product_favorites_user_id idx_product_favorites_product_id_created_at idx_seller_payouts_seller_id_created_at idx_seller_payouts_status idx_discount_codes_code idx_discount_codes_valid_period idx_discount_code_usage_discount_code_id idx_discount_code_usage_user_id idx_transactions_user_id_created_at idx_transactions_order_id idx_transactions_transaction_type idx_transactions_status idx_transactions_created_at_desc idx_users_created_at idx_users_active idx_products_category_status idx_messages_2025_01_room_id idx_messages_2025_02_room_id idx_trending_tracks_trending_score".split(" ");
const SPEC_CONSTRAINTS = "chk_users_email_format chk_users_username_format chk_refresh_tokens_expires_future chk_password_reset_expires chk_email_verification_expires uq_federated_identities_provider_user uq_user_roles_user_role uq_user_badges_user_badge chk_files_size_positive chk_file_uploads_bytes_uploaded chk_tracks_duration_positive uq_playlist_tracks_playlist_track chk_playback_history_completion uq_track_likes_user_track chk_track_comments_content_length uq_room_members_room_user chk_messages_content_length uq_message_reactions_message_user_emoji chk_direct_messages_content_length chk_direct_messages_different_users uq_typing_indicators_room_user uq_follows_follower_following chk_follows_not_self uq_blocks_blocker_blocked chk_blocks_not_self chk_posts_content_length uq_post_likes_user_post chk_post_comments_content_length uq_post_hashtags_post_hashtag uq_group_members_group_user chk_products_price_positive chk_products_rating_range uq_cart_items_cart_product chk_orders_total_positive uq_product_reviews_order_item chk_product_reviews_rating chk_product_reviews_content_length uq_product_favorites_user_product chk_seller_payouts_amount_positive chk_discount_codes_value_positive chk_discount_codes_validity".split(" ");

// The spec's names that deliberately do not exist, and why.
const NOT_CREATED: Record<string, string> = {
  idx_federated_identities_provider_user_id: "a second unique index on (provider, provider_user_id), duplicating uq_federated_identities_provider_user",
  idx_playlist_tracks_playlist_id_position: "replaced by the DEFERRABLE unique constraint uq_playlist_tracks_playlist_position (positions stay a permutation)",
  idx_queue_items_queue_id_position: "replaced by the DEFERRABLE unique constraint uq_queue_items_queue_position",
  idx_users_created_at: "§20.1's example of a B-tree index (idx_users_created_at_desc is the real one, §4.1)",
  idx_users_active: "§20.1's example of a partial index, not part of the model",
  idx_messages_2025_01_room_id: "§21.2's example; partitions get their indexes from the parent's",
  idx_messages_2025_02_room_id: "§21.2's example; partitions get their indexes from the parent's",
};

describe("the spec's names", () => {
  let backend: Backend;
  let db: SqlExecutor;
  let names: Set<string>;
  beforeAll(async () => {
    backend = await createPgliteBackend();
    db = backendExecutor(backend);
    await migrate(db);
    const rows = await db.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' UNION SELECT conname FROM pg_constraint");
    names = new Set(rows.map((r) => r[0]!));
  });
  afterAll(() => backend.close());

  it.each(SPEC_INDEXES.filter((n) => !(n in NOT_CREATED)))("index %s exists", (name) => {
    expect(names.has(name)).toBe(true);
  });

  it.each(SPEC_CONSTRAINTS)("constraint %s exists", (name) => {
    expect(names.has(name)).toBe(true);
  });

  it("names a reason for every spec index it leaves out, and leaves out no other", () => {
    const missing = SPEC_INDEXES.filter((n) => !names.has(n)).sort();
    expect(missing).toEqual(Object.keys(NOT_CREATED).sort());
  });
});
