-- Reverts 0005_chat.sql in reverse order. Dropping a table drops its indexes, constraints and
-- triggers; dropping the partitioned messages table drops its partitions (messages_YYYY_MM,
-- messages_default).
DROP TABLE IF EXISTS typing_indicators;
DROP TABLE IF EXISTS user_presence;
DROP TABLE IF EXISTS direct_messages;
DROP FUNCTION IF EXISTS set_direct_message_deleted_at();
DROP TABLE IF EXISTS message_reactions;
DROP FUNCTION IF EXISTS sync_message_reaction_count();
DROP TABLE IF EXISTS messages;
DROP FUNCTION IF EXISTS sync_message_thread_count_del();
DROP FUNCTION IF EXISTS sync_message_thread_count_ins();
DROP FUNCTION IF EXISTS sync_room_message_stats_del();
DROP FUNCTION IF EXISTS sync_room_message_stats_ins();
DROP TABLE IF EXISTS room_invites;
DROP TABLE IF EXISTS room_members;
DROP FUNCTION IF EXISTS sync_room_member_count();
DROP TABLE IF EXISTS rooms;
