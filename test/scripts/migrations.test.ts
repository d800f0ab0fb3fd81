import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendExecutor, isPostgresUrl } from "../../scripts/database";
import { createPgliteBackend, createPostgresBackend, createScratchDatabase, type Backend } from "../../scripts/dev-db/backends";
import { loadMigrations, migrate, rollback, type SqlExecutor } from "../../scripts/migrations";

/** Everything a migration can create in `public`, as sorted "kind name" lines. */
async function schemaSnapshot(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query(`
    SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> 'schema_migrations' AND c.relname NOT LIKE 'schema_migrations_%'
    UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype IN ('e', 'c') AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL SELECT 'trigger ' || tg.tgname FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT tg.tgisinternal
    UNION ALL SELECT 'constraint ' || co.conname FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
      LEFT JOIN pg_class c ON c.oid = co.conrelid WHERE n.nspname = 'public' AND c.relname IS DISTINCT FROM 'schema_migrations'
    UNION ALL SELECT 'sequence ' || s.sequencename FROM pg_sequences s WHERE s.schemaname = 'public'`);
  return rows.map((r) => r[0]!).sort();
}

const tableNames = async (db: SqlExecutor) =>
  (await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r[0]!);

/** The tables of spec §4–§16 (v2), all of which must exist; none of §17's. */
const SPEC_TABLES = `users refresh_tokens password_reset_tokens email_verification_tokens password_history two_factor_configs
  federated_identities login_attempts user_profiles user_settings user_roles user_badges badges files file_uploads file_metadata
  file_conversions tracks playlists playlist_tracks playback_history track_likes track_comments queues queue_items rooms
  room_members messages message_reactions direct_messages user_presence typing_indicators follows blocks posts post_likes
  post_comments hashtags post_hashtags groups group_members products product_licenses carts cart_items orders order_items
  product_reviews product_favorites seller_payouts discount_codes discount_code_usage transactions courses lessons
  course_enrollments lesson_progress quizzes quiz_attempts certificates equipment equipment_warranties equipment_maintenance
  equipment_categories cloud_accounts backup_jobs sync_operations search_queries search_index analytics_events daily_metrics
  track_analytics reports dashboard_configs moderation_reports moderation_actions audit_logs system_configs feature_flags`.split(/\s+/);

const EXCLUDED_TABLES = `feature_vectors embeddings model_outputs ml_predictions recommendation_scores user_analytics nft_tokens
  smart_contracts wallet_addresses blockchain_transactions token_balances xp_events level_thresholds achievement_unlocks
  streaks leaderboard_entries daily_challenges`.split(/\s+/);

const PARTITIONED = ["messages", "analytics_events", "audit_logs", "playback_history", "login_attempts"];

function suite(name: string, open: () => Promise<{ backend: Backend; cleanup: () => Promise<void> }>) {
  describe(`migrations on ${name}`, () => {
    let backend: Backend;
    let cleanup: () => Promise<void>;
    let db: SqlExecutor;

    beforeAll(async () => {
      ({ backend, cleanup } = await open());
      db = backendExecutor(backend);
    });
    afterAll(async () => cleanup?.());

    it("apply in order and create every table of the spec, and none that §17 excludes", async () => {
      const applied = await migrate(db);
      expect(applied).toEqual((await loadMigrations()).map((m) => m.name));
      const tables = await tableNames(db);
      for (const t of SPEC_TABLES) expect(tables, t).toContain(t);
      for (const t of EXCLUDED_TABLES) expect(tables).not.toContain(t);
    });

    it("partition the high-volume tables by month, current and next three months ready", async () => {
      const now = new Date();
      for (const table of PARTITIONED) {
        const parts = (await db.query(
          "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1",
          [table],
        )).map((r) => r[0]);
        for (let k = 0; k < 4; k++) {
          const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
          expect(parts, table).toContain(`${table}_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
        }
        expect(parts).toContain(`${table}_default`);
      }
    });

    it("create the materialized views with the unique indexes REFRESH CONCURRENTLY needs", async () => {
      for (const view of ["trending_tracks", "user_statistics"]) {
        await db.exec(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
      }
    });

    it("change nothing when applied twice", async () => {
      const before = await schemaSnapshot(db);
      expect(await migrate(db)).toEqual([]);
      expect(await schemaSnapshot(db)).toEqual(before);
    });

    it("revert one at a time, each down undoing exactly its up", async () => {
      const all = await loadMigrations();
      const snapshots: string[][] = [];
      // Snapshot after each prefix by reverting from the top, then compare with re-applying.
      for (let i = all.length; i > 0; i--) {
        snapshots[i] = await schemaSnapshot(db);
        expect(await rollback(db, 1)).toEqual([all[i - 1]!.name]);
      }
      expect(await schemaSnapshot(db)).toEqual([]);
      // Re-apply: each step lands on exactly the snapshot taken on the way down.
      for (let i = 1; i <= all.length; i++) {
        await db.exec(all[i - 1]!.up.replace(/^/, "BEGIN;\n") + "\nCOMMIT;");
        await db.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [all[i - 1]!.version, all[i - 1]!.name, all[i - 1]!.checksum]);
        expect(await schemaSnapshot(db), all[i - 1]!.name).toEqual(snapshots[i]);
      }
    });

    it("roll everything back to an empty schema", async () => {
      await rollback(db, Infinity);
      expect(await schemaSnapshot(db)).toEqual([]);
      expect(await tableNames(db)).toEqual(["schema_migrations"]);
    });
  });
}

suite("PGlite", async () => {
  const backend = await createPgliteBackend();
  return { backend, cleanup: () => backend.close() };
});

const pgUrl = process.env.TEST_DATABASE_URL;
if (isPostgresUrl(pgUrl)) {
  suite("PostgreSQL", async () => {
    const scratch = await createScratchDatabase(pgUrl, "veza_migrations");
    const backend = await createPostgresBackend(scratch.url);
    return { backend, cleanup: async () => (await backend.close(), await scratch.drop()) };
  });
}
