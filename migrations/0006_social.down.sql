-- Reverts 0006_social.sql in reverse order. Dropping a table drops its indexes and triggers.
DROP TABLE IF EXISTS notifications;
DROP TABLE IF EXISTS post_hashtags;
DROP FUNCTION IF EXISTS sync_hashtag_usage_count();
DROP TABLE IF EXISTS hashtags;
DROP TABLE IF EXISTS post_comments;
DROP FUNCTION IF EXISTS sync_post_comment_count();
DROP TABLE IF EXISTS post_likes;
DROP FUNCTION IF EXISTS sync_post_like_count();
DROP TABLE IF EXISTS posts;
DROP FUNCTION IF EXISTS sync_group_post_count();
DROP FUNCTION IF EXISTS sync_post_repost_count();
DROP TABLE IF EXISTS group_members;
DROP FUNCTION IF EXISTS sync_group_member_count();
DROP TABLE IF EXISTS groups;
DROP TABLE IF EXISTS blocks;
DROP TABLE IF EXISTS follows;
DROP FUNCTION IF EXISTS sync_user_follow_counts();
