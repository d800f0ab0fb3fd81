import pg from "pg";
import { backendExecutor } from "../scripts/database";
import { createPostgresBackend, type Backend } from "../scripts/dev-db/backends";
import type { DevDatabaseServer } from "../scripts/dev-db/server";
import { migrate } from "../scripts/migrations";
import { signAccessToken } from "../src/lib/auth/tokens";
import { median, percentile, type Row } from "./lib";
import { ADMIN_URL, capturingWorker, ids, JWT_SECRET, paramsFor, planOf, reachable, replay, scratchDatabase, type Binding, type Unit } from "./query-replay";

/**
 * Issue 7: DESIGN §8 "hot queries at 1-year volumes: p95 < 10 ms, every one on an index" and "one
 * round trip per read endpoint" for the community and discovery endpoints (feed, search, trending,
 * explore, hashtags, a user's posts), on the machine's PostgreSQL 15. As bench/listening-queries.ts
 * (the harness of bench/query-replay.ts): a scratch database is migrated with the project's
 * migrations and filled set-based; the built Worker runs in workerd against it through the dev
 * database server; the statements each endpoint sends are captured, replayed ~200 times directly on
 * PostgreSQL with other users/queries/tags substituted in their parameters, and EXPLAINed (index
 * names printed, Seq Scans on big relations flagged).
 *
 * Loading: the per-row triggers that only derive data (DERIVED_TRIGGERS: the search_index sync
 * triggers of 0021_search_sync.sql, ~0.6 ms per indexed row, and the counter triggers) are disabled
 * for the bulk load; constraints, unique indexes, FK triggers, the BEFORE triggers that fill the
 * row's own columns, profile/settings creation and the users audit stay on. What they would have
 * written is then derived once, set-based (DERIVE), and they are enabled again in the same
 * transaction:
 *   user_profiles.follower_count / following_count / track_count / playlist_count,
 *   playlists.track_count / duration_seconds, groups.member_count / post_count, posts.repost_count,
 *   hashtags.usage_count / last_used_at, tracks.play_count (plays of ≥ 30 s, the trigger's WHEN),
 *   and search_index by 0021_search_sync.sql's backfill statement (INSERT … SELECT FROM
 *   search_documents).
 * Why this equals the triggered load: the load only inserts (plus one UPDATE of profile_visibility,
 * a column the derivations do not read), every counter starts at its default 0 and each trigger adds
 * 1 per counted row, so its total is the count of those rows, which DERIVE computes from the final
 * tables; DERIVE updates only the rows whose value changes, i.e. those a trigger would have touched,
 * so updated_at moves on the same rows. search_index_sync upserts an entity's search_documents row
 * at each write of it, and search_documents reads none of the counters written later, so the
 * triggers end with exactly the view's rows, which the backfill inserts (search_index.id and
 * updated_at are gen_random_uuid() / now() either way). checkDerived then recounts a sample of every
 * counter row by row, compares sampled search_index rows with search_documents both ways, re-runs
 * search_index_sync() on a sample (rolled back) and compares the two row counts, and fails the
 * run if anything differs or a trigger is still disabled. Finally every loaded table (groups
 * included) is VACUUM ANALYZEd.
 *
 * Volumes (spec §1.3 for users and tracks, the rest in proportion):
 *   users            50 000   display names drawn from first × last name lists with accents
 *                             ("Beyoncé", "Zoë", "Motörhead"…); 2 % private profiles, 0.2 % banned,
 *                             0.2 % deleted
 *   tracks          500 000   5 000 creators (users 1-5 000) × 100, titles of 2-3 words from a
 *                             vocabulary of ~170, artist = the creator's display name; 90 % public,
 *                             5 % unlisted, 5 % private; published over a year
 *   playlists       100 000   2 per user, 1-19 tracks each (~1 000 000 playlist_tracks)
 *   follows      ~2 000 000   avg ~40 per user: 20 stars (users 1-20) followed by 10 000-24 000
 *                             each, a long tail over the creators (power law), and 50 heavy users
 *                             (101-150) following 2 000 accounts each
 *   groups            3 000   ~150 000 memberships (3 per user, a few big groups), 10 % private
 *   posts        ~1 000 000   900 000 originals over a year (users 1-10 post ~3 000 each, creators
 *                             ~120, others ~8; 5 % in groups; 90 % public) + ~90 000 reposts (10 %,
 *                             a quarter of them quotes)
 *   hashtags          3 000   30 % of originals carry 1-3 (~600 000 post_hashtags, power law: the
 *                             top tag ~11 000 uses)
 *   blocks         ~100 000   2 per user
 *   playback_history 3 000 000 in the last 7 days (power law over tracks), then trending_tracks is
 *                             refreshed
 *
 * Set BENCH_COMMUNITY_KEEP=1 to keep the scratch database (its name is printed) and
 * BENCH_COMMUNITY_DB=<name> to measure an already loaded one instead of loading a new one (with
 * BENCH_COMMUNITY_FROM=<step>: after running the loading steps from that index of POPULATE on).
 */
const SAMPLES = 200;
// A statement far over budget (the feed of an account following 2 000) stops being sampled after
// this long, once it has MIN_SAMPLES: its figures are clear by then and the run stays short.
const SAMPLING_CAP_MS = 20_000;
const MIN_SAMPLES = 20;
const BUDGET_MS = 10;
const V = {
  users: 50_000,
  creators: 5_000,
  tracks: 500_000,
  playlists: 100_000,
  stars: 20,
  tailFollows: 33,
  heavyFirst: 101,
  heavyLast: 150,
  heavyFollows: 2_000,
  groups: 3_000,
  posts: 900_000,
  reposts: 100_000,
  hashtags: 3_000,
  blocksPerUser: 2,
  plays: 3_000_000,
};
const log = (line: string) => console.error(`[community-queries] ${line}`);

// Words of titles, names, posts and hashtags. Several share a prefix ("tra…", "bey…", "mot…") so a
// prefix search matches many rows, as a popular prefix does.
const WORDS = [
  "trance", "track", "traffic", "train", "transit", "trap", "travel", "trail", "tramway", "tranquil", "tropical", "tribe",
  "beyond", "Beyoncé", "beyonder", "motion", "motor", "Motörhead", "motif", "midnight", "morning", "moon", "mountain", "memory",
  "ocean", "river", "rain", "road", "rhythm", "riot", "rise", "rose", "silver", "summer", "sun", "sunset", "storm", "street",
  "shadow", "signal", "sky", "snow", "soul", "sound", "space", "spirit", "star", "stone", "city", "cloud", "club", "code",
  "colour", "cosmic", "crystal", "dance", "dark", "dawn", "deep", "desert", "dream", "drift", "drum", "dust", "echo", "electric",
  "ember", "empire", "fire", "flow", "forest", "fever", "garden", "ghost", "glass", "gold", "groove", "harbour", "heart", "heat",
  "highway", "horizon", "island", "jazz", "jungle", "kingdom", "lake", "light", "line", "love", "lunar", "machine", "magic", "metal",
  "mirror", "neon", "night", "noise", "north", "orbit", "paper", "paradise", "pulse", "quiet", "radio", "velvet", "vinyl", "voice",
  "wave", "wild", "wind", "winter", "wonder", "youth", "Zoë", "café", "château", "déjà", "été", "fiancé", "naïve", "rêve",
  "soirée", "über", "señor", "mañana", "São", "Kraków", "Zürich", "Ålesund", "house", "techno", "ambient", "hiphop", "funk", "disco",
  "blues", "reggae", "dub", "garage", "grime", "soulful", "acid", "analog", "bass", "beat", "break", "chill", "cycle", "delay",
  "filter", "loop", "mix", "session", "live", "remix", "edit", "version", "tape", "demo", "intro", "outro", "reprise", "theme",
];
const FIRST_NAMES = [
  "Beyoncé", "Zoë", "Chloé", "Anaïs", "Björn", "José", "Inès", "Léa", "Noël", "Renée", "Søren", "Åsa", "Ramón", "François",
  "Motörhead", "Mötley", "Jürgen", "Ésteban", "Hélène", "Amélie", "Alex", "Sam", "Maria", "John", "Emma", "Lucas", "Nina", "Omar",
  "Yuki", "Aiko", "Kwame", "Amara", "Priya", "Ravi", "Lena", "Jonas", "Elena", "Marco", "Sara", "Tom", "Ines", "Paul", "Mia",
  "Leo", "Ava", "Noah", "Zoe", "Beyonder", "Travis", "Tracy", "Trang", "Trevor", "Bea", "Bella", "Moti", "Mota", "Sunny", "River",
];
const LAST_NAMES = [
  "Knowles", "Müller", "García", "Núñez", "Gonçalves", "Dvořák", "Brontë", "Smith", "Martin", "Bernard", "Dubois", "Laurent",
  "Rossi", "Bianchi", "Kowalski", "Nowak", "Jensen", "Hansen", "Svensson", "Berg", "Okafor", "Mensah", "Tanaka", "Sato", "Kim",
  "Park", "Nguyen", "Tran", "Singh", "Patel", "Silva", "Santos", "Costa", "López", "Pérez", "Fernández", "Weiß", "Schäfer",
  "Lefèvre", "Fontaine", "Moreau", "Girard", "Roux", "Blanc", "Meyer", "Wagner", "Becker", "Hoffmann", "Ivanova", "Petrov",
];

/** One statement, or a function of the round (chunked statements keep per-row triggers fast). */
type Step = string | { label: string; chunks: number; sql: (i: number) => string };

// A random word of the vocabulary (random() in a select list is evaluated for every row).
const word = () => "v.words[1 + floor(random() * array_length(v.words, 1))::int]";
// Users 1-5 000 are the creators; the membership of user u: groups g(u, 0..2), a few groups big.
const groupOf = (u: string, k: string) => `1 + floor(${V.groups} * ((hashint4((${u}) * 3 + (${k})) & 2147483647) / 2147483648.0) ^ 2)::int`;

const POPULATE: Step[] = [
  `SELECT setseed(0.7)`,
  `CREATE TABLE bench_vocab (words text[], firsts text[], lasts text[])`,
  `INSERT INTO bench_vocab VALUES ($1, $2, $3)`,
  // Partitions for the last year of plays (trending reads the last 7 days).
  `SELECT ensure_monthly_partitions('playback_history', (date_trunc('month', now()) - interval '12 months')::date, 16)`,
  `CREATE TABLE bench_u AS SELECT n, gen_random_uuid() AS id, v.firsts[1 + (n * 7) % array_length(v.firsts, 1)] AS first,
     v.lasts[1 + (n * 13) % array_length(v.lasts, 1)] AS last FROM generate_series(1, ${V.users}) n CROSS JOIN bench_vocab v`,
  `INSERT INTO users (id, email, username, display_name, email_verified_at, is_banned, deleted_at, created_at)
     SELECT id, 'bench' || n || '@veza.bench', left(regexp_replace(lower(f_unaccent(first)), '[^a-z0-9]', '', 'g'), 20) || '_' || n,
            CASE WHEN first = 'Motörhead' THEN 'Motörhead ' || n ELSE first || ' ' || last END, now() - interval '400 days',
            n > 200 AND n % 500 = 7, CASE WHEN n > 200 AND n % 500 = 11 THEN now() - interval '10 days' END, now() - interval '400 days'
       FROM bench_u ORDER BY n`,
  `UPDATE user_profiles up SET profile_visibility = 'private' FROM bench_u u WHERE up.user_id = u.id AND u.n > 200 AND u.n % 50 = 13`,
  `CREATE TABLE bench_t AS SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS file_id, 1 + n % ${V.creators} AS creator_n FROM generate_series(1, ${V.tracks}) n`,
  `INSERT INTO files (id, user_id, filename, original_filename, mime_type, file_size, storage_path, url, is_processed)
     SELECT t.file_id, u.id, t.n || '.wav', 'track ' || t.n || '.wav', 'audio/wav', 30000000, 'uploads/' || t.file_id, '/files/' || t.file_id, true
       FROM bench_t t JOIN bench_u u ON u.n = t.creator_n ORDER BY t.n`,
  `INSERT INTO tracks (id, creator_id, file_id, title, artist, genre, duration, duration_ms, visibility, status, processing_progress, hls_path, published_at, created_at)
     SELECT t.id, u.id, t.file_id, initcap(${word()}) || ' ' || ${word()} || CASE WHEN t.n % 3 = 0 THEN ' ' || ${word()} ELSE '' END,
            CASE WHEN u.first = 'Motörhead' THEN 'Motörhead' ELSE u.first || ' ' || u.last END,
            (ARRAY['house','techno','jazz','ambient','hiphop'])[1 + t.n % 5], 120 + t.n % 240, (120 + t.n % 240) * 1000,
            (CASE WHEN t.n % 20 = 0 THEN 'private' WHEN t.n % 20 = 1 THEN 'unlisted' ELSE 'public' END)::visibility,
            'ready', 100, 'hls/' || t.id || '/run', now() - (t.n % 365) * interval '1 day' - (t.n % 86400) * interval '1 second', now() - (t.n % 365) * interval '1 day'
       FROM bench_t t JOIN bench_u u ON u.n = t.creator_n CROSS JOIN bench_vocab v ORDER BY t.n`,
  `CREATE TABLE bench_p AS SELECT n, gen_random_uuid() AS id, 1 + n % ${V.users} AS owner_n, 1 + (n * 37) % 19 AS size FROM generate_series(1, ${V.playlists}) n`,
  `INSERT INTO playlists (id, user_id, name, visibility, created_at)
     SELECT p.id, u.id, initcap(${word()}) || ' ' || ${word()}, (CASE WHEN p.n % 10 = 9 THEN 'private' ELSE 'public' END)::visibility,
            now() - (p.n % 365) * interval '1 day' - (p.n % 86400) * interval '1 second'
       FROM bench_p p JOIN bench_u u ON u.n = p.owner_n CROSS JOIN bench_vocab v ORDER BY p.n`,
  `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by, added_at)
     SELECT p.id, t.id, g.pos, u.id, now() - interval '1 day' * (g.pos % 300)
       FROM bench_p p JOIN bench_u u ON u.n = p.owner_n CROSS JOIN LATERAL generate_series(0, p.size - 1) AS g(pos)
       JOIN bench_t t ON t.n = 1 + (p.n * 1009 + g.pos * 7) % ${V.tracks}
      ORDER BY p.n, g.pos`,
  // Follows in chunks of 500 followers (from when the counter trigger ran per row: kept, the random
  // draws stay the same).
  {
    label: "follows (stars and long tail)",
    chunks: V.users / 500,
    sql: (i) => `INSERT INTO follows (follower_id, following_id, created_at)
      SELECT f.id, t.id, now() - random() * interval '365 days'
        FROM bench_u f CROSS JOIN LATERAL (
               SELECT 21 + floor(${V.creators - 20} * random() ^ 2)::int AS tn FROM generate_series(1, ${V.tailFollows}) WHERE f.n > 0
               UNION ALL
               SELECT s FROM generate_series(1, ${V.stars}) s WHERE random() < (10000 + 750 * (s - 1)) / ${V.users}.0 AND f.n > 0
             ) x
        JOIN bench_u t ON t.n = x.tn
       WHERE f.n BETWEEN ${i * 500 + 1} AND ${i * 500 + 500} AND t.n <> f.n
      ON CONFLICT (follower_id, following_id) DO NOTHING`,
  },
  {
    label: "follows (heavy followers)",
    chunks: 4,
    sql: (i) => `INSERT INTO follows (follower_id, following_id, created_at)
      SELECT f.id, t.id, now() - random() * interval '365 days'
        FROM bench_u f CROSS JOIN generate_series(${i * 500}, ${i * 500 + 499}) k
        JOIN bench_u t ON t.n = 21 + (f.n * 37 + k) % ${V.creators - 20}
       WHERE f.n BETWEEN ${V.heavyFirst} AND ${V.heavyLast} AND t.n <> f.n
      ON CONFLICT (follower_id, following_id) DO NOTHING`,
  },
  `INSERT INTO blocks (blocker_id, blocked_id, created_at)
     SELECT b.id, t.id, now() - random() * interval '300 days'
       FROM (SELECT u.n, u.id, 1 + floor(${V.users} * random())::int AS tn FROM bench_u u CROSS JOIN generate_series(1, ${V.blocksPerUser}) k WHERE k > 0) b
       JOIN bench_u t ON t.n = b.tn WHERE t.n <> b.n
     ON CONFLICT (blocker_id, blocked_id) DO NOTHING`,
  `CREATE TABLE bench_g AS SELECT n, gen_random_uuid() AS id, 1 + (n * 13) % ${V.users} AS creator_n FROM generate_series(1, ${V.groups}) n`,
  `INSERT INTO groups (id, name, slug, group_type, creator_id, created_at)
     SELECT g.id, initcap(${word()}) || ' ' || (ARRAY['Collective','Club','Circle','Lovers','Crew','Society'])[1 + g.n % 6],
            'group-' || g.n, CASE WHEN g.n % 10 = 0 THEN 'private' ELSE 'public' END, u.id, now() - interval '380 days'
       FROM bench_g g JOIN bench_u u ON u.n = g.creator_n CROSS JOIN bench_vocab v ORDER BY g.n`,
  `INSERT INTO group_members (group_id, user_id, role, joined_at)
     SELECT g.id, u.id, 'owner', now() - interval '380 days' FROM bench_g g JOIN bench_u u ON u.n = g.creator_n`,
  `INSERT INTO group_members (group_id, user_id, joined_at)
     SELECT g.id, u.id, now() - interval '370 days' FROM bench_u u CROSS JOIN generate_series(0, 2) k JOIN bench_g g ON g.n = ${groupOf("u.n", "k")}
     ON CONFLICT (group_id, user_id) DO NOTHING`,
  // Hashtags: the single words first (the popular ones), then pairs of words.
  `CREATE TABLE bench_h AS SELECT n, CASE WHEN n <= array_length(v.words, 1) THEN lower(f_unaccent(v.words[n]))
     ELSE lower(f_unaccent(v.words[1 + n % array_length(v.words, 1)] || v.words[1 + (n / array_length(v.words, 1)) % array_length(v.words, 1)])) END AS tag
     FROM generate_series(1, ${V.hashtags}) n CROSS JOIN bench_vocab v`,
  `INSERT INTO hashtags (tag, slug, first_used_at, last_used_at, created_at)
     SELECT tag, tag, now() - interval '365 days', now() - interval '365 days', now() - interval '365 days' FROM bench_h ORDER BY n ON CONFLICT DO NOTHING`,
  `CREATE TABLE bench_post AS SELECT n, gen_random_uuid() AS id,
     CASE WHEN n % 100 < 3 THEN 1 + n % 10 WHEN n % 100 < 63 THEN 1 + floor(${V.creators} * random())::int ELSE 1 + floor(${V.users} * random())::int END AS user_n,
     now() - random() * interval '365 days' AS created_at FROM generate_series(1, ${V.posts}) n`,
  `CREATE TABLE bench_ph AS SELECT DISTINCT post_n, tag_n FROM (
     SELECT p.n AS post_n, 1 + floor(${V.hashtags} * random() ^ 2)::int AS tag_n FROM bench_post p CROSS JOIN LATERAL generate_series(1, 1 + p.n % 3) k WHERE p.n % 10 < 3) x`,
  `CREATE INDEX ON bench_ph (post_n)`,
  // Each post's " #tag" suffix, built once (a correlated subquery per post re-sorted the 3 000
  // hashtags 900 000 times: > 10 minutes).
  `CREATE TABLE bench_pt AS SELECT ph.post_n, string_agg(' #' || h.tag, '' ORDER BY h.n) AS tags FROM bench_ph ph JOIN bench_h h ON h.n = ph.tag_n GROUP BY 1`,
  `CREATE UNIQUE INDEX ON bench_pt (post_n)`,
  `ANALYZE bench_ph, bench_h, bench_pt, bench_post, bench_u, bench_g`,
  `INSERT INTO posts (id, user_id, group_id, content, visibility, created_at, updated_at)
     SELECT p.id, u.id, CASE WHEN p.n % 20 = 7 THEN g.id END,
            ${word()} || ' ' || ${word()} || ' ' || ${word()} || ' ' || ${word()}
              || COALESCE(pt.tags, ''),
            (CASE WHEN p.n % 20 = 3 THEN 'private' WHEN p.n % 20 = 4 THEN 'unlisted' ELSE 'public' END)::visibility, p.created_at, p.created_at
       FROM bench_post p JOIN bench_u u ON u.n = p.user_n JOIN bench_g g ON g.n = ${groupOf("p.user_n", "p.n % 3")} LEFT JOIN bench_pt pt ON pt.post_n = p.n
            CROSS JOIN bench_vocab v
      ORDER BY p.created_at`,
  {
    label: "post_hashtags",
    chunks: 9,
    sql: (i) => `INSERT INTO post_hashtags (post_id, hashtag_id, created_at)
      SELECT p.id, h.id, p.created_at FROM bench_ph ph JOIN bench_post p ON p.n = ph.post_n JOIN bench_h bh ON bh.n = ph.tag_n JOIN hashtags h ON lower(h.tag) = bh.tag
       WHERE ph.post_n BETWEEN ${i * 100_000 + 1} AND ${i * 100_000 + 100_000}
      ON CONFLICT (post_id, hashtag_id) DO NOTHING`,
  },
  // Reposts of public profile posts (popular ones more often), a quarter of them quotes.
  `INSERT INTO posts (user_id, content, repost_of_id, created_at, updated_at)
     SELECT u.id, CASE WHEN x.r % 4 = 0 THEN ${word()} || ' ' || ${word()} ELSE '' END, o.id,
            LEAST(now(), o.created_at + x.delay), LEAST(now(), o.created_at + x.delay)
       FROM (SELECT r, 1 + floor(${V.posts} * random() ^ 2)::int AS o_n, 1 + floor(${V.users} * random())::int AS u_n, random() * interval '3 days' AS delay
               FROM generate_series(1, ${V.reposts}) r) x
       JOIN bench_post o ON o.n = x.o_n JOIN bench_u u ON u.n = x.u_n CROSS JOIN bench_vocab v
      WHERE o.n % 20 NOT IN (3, 4, 7)
      ORDER BY 4
     ON CONFLICT (user_id, repost_of_id) WHERE repost_of_id IS NOT NULL AND content = '' AND deleted_at IS NULL DO NOTHING`,
];

// A week of plays (power law over tracks) for trending_tracks, loaded on a second connection while
// the social graph loads: it needs only users and tracks, and touches no row the other steps write
// (its play_count trigger is off during the load; DERIVE counts the plays afterwards).
const PLAYS_AFTER = POPULATE.findIndex((step) => typeof step === "string" && step.startsWith("CREATE TABLE bench_p "));
const PLAYS: Step[] = [
  `SELECT setseed(0.3)`,
  {
    label: "playback_history (7 days)",
    chunks: 6,
    sql: () => `INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, device_type, played_at)
      SELECT u.id, t.id, 30 + x.k % 200, x.k % 101, (ARRAY['playlist','album','search','direct'])[1 + x.k % 4], (ARRAY['mobile','desktop','web'])[1 + x.k % 3], x.at
        FROM (SELECT k, 1 + floor(${V.users} * random())::int AS u_n, 1 + floor(${V.tracks} * random() ^ 2)::int AS t_n, now() - random() * interval '6 days 20 hours' AS at
                FROM generate_series(1, ${V.plays / 6}) k) x
        JOIN bench_u u ON u.n = x.u_n JOIN bench_t t ON t.n = x.t_n
       ORDER BY x.at`,
  },
];

interface Endpoint {
  label: string;
  volume: string;
  path: (b: Binding) => string;
  pick: (i: number) => Binding;
  /** Extra bindings of sample 0 read from the Worker first (e.g. page 1's next_cursor). */
  prepare?: (b: Binding, call: (path: string, user: string) => Promise<{ status: number; body: any }>) => Promise<Binding | null>;
}

// A statement that writes, possibly in a CTE (GET /v1/search may save the search to the history).
const isWrite = (sql: string) => /(^|\(|AS\s*\()\s*(INSERT|UPDATE|DELETE)\b/i.test(sql);

async function runSteps(client: pg.Client, steps: Step[]): Promise<void> {
  for (const step of steps) {
    const t = performance.now();
    if (typeof step === "string") {
      await client.query(step, step.includes("$1") ? [WORDS, FIRST_NAMES, LAST_NAMES] : undefined);
      log(`${((performance.now() - t) / 1000).toFixed(1)} s  ${step.replace(/\s+/g, " ").slice(0, 100)}`);
    } else {
      for (let i = 0; i < step.chunks; i++) await client.query(step.sql(i));
      log(`${((performance.now() - t) / 1000).toFixed(1)} s  ${step.label} (${step.chunks} statements)`);
    }
  }
}

// Per-row triggers that only derive data, disabled for the bulk load (DERIVE recomputes what they
// keep, set-based, then they are enabled again). Constraint and FK triggers, the BEFORE triggers
// that fill columns of the row itself (cover_url, avatar_url, updated_at), the profile/settings
// creation and the users audit trigger stay on.
const DERIVED_TRIGGERS: [table: string, triggers: string[]][] = [
  ["users", ["trg_users_search_index", "trg_users_search_index_update"]],
  ["user_profiles", ["trg_user_profiles_search_index"]],
  ["user_settings", ["trg_user_settings_search_index"]],
  ["tracks", ["trg_tracks_search_index", "trg_tracks_search_index_update", "trg_tracks_user_track_count_insert_delete"]],
  ["playlists", ["trg_playlists_search_index", "trg_playlists_search_index_update", "trg_playlists_user_playlist_count_insert_delete"]],
  ["playlist_tracks", ["trg_playlist_tracks_playlist_counts"]],
  ["follows", ["trg_follows_counts"]],
  ["groups", ["trg_groups_search_index", "trg_groups_search_index_update", "trg_groups_search_index_posts"]],
  ["group_members", ["trg_group_members_member_count"]],
  ["posts", ["trg_posts_search_index", "trg_posts_search_index_update", "trg_posts_repost_count", "trg_posts_group_post_count"]],
  ["post_hashtags", ["trg_post_hashtags_usage_count"]],
  // On the partitioned table: ALTER TABLE … DISABLE/ENABLE TRIGGER recurses to its partitions.
  ["playback_history", ["trg_playback_history_play_count"]],
];

// What the disabled triggers would have written, from the loaded rows. Every counter starts at its
// default 0 and the load only inserts, so a trigger's running total is the final count of the rows
// it counts (its GREATEST(… - 1, 0) branches are for deletes, which never happen here). The
// "IS DISTINCT FROM" conditions update exactly the rows a trigger would have updated (those with at
// least one counted row), so even updated_at (bumped by the BEFORE UPDATE triggers, which stay on)
// ends as it would.
const DERIVE: string[] = [
  // sync_user_follow_counts, tracks_maintain_user_track_count, playlists_maintain_user_playlist_count.
  `UPDATE user_profiles up SET follower_count = x.followers, following_count = x.following, track_count = x.tracks, playlist_count = x.playlists
     FROM (SELECT p.user_id, COALESCE(fr.n, 0) AS followers, COALESCE(fg.n, 0) AS following, COALESCE(tr.n, 0) AS tracks, COALESCE(pl.n, 0) AS playlists
             FROM user_profiles p
             LEFT JOIN (SELECT following_id AS id, count(*) AS n FROM follows GROUP BY 1) fr ON fr.id = p.user_id
             LEFT JOIN (SELECT follower_id AS id, count(*) AS n FROM follows GROUP BY 1) fg ON fg.id = p.user_id
             LEFT JOIN (SELECT creator_id AS id, count(*) AS n FROM tracks WHERE deleted_at IS NULL GROUP BY 1) tr ON tr.id = p.user_id
             LEFT JOIN (SELECT user_id AS id, count(*) AS n FROM playlists WHERE deleted_at IS NULL GROUP BY 1) pl ON pl.id = p.user_id) x
    WHERE up.user_id = x.user_id
      AND (up.follower_count, up.following_count, up.track_count, up.playlist_count) IS DISTINCT FROM (x.followers, x.following, x.tracks, x.playlists)`,
  // playlist_tracks_maintain_playlist_counts: a track's duration read when it was added (never changed here).
  `UPDATE playlists p SET track_count = x.n, duration_seconds = x.d
     FROM (SELECT pt.playlist_id, count(*) AS n, sum(COALESCE(t.duration, 0)) AS d FROM playlist_tracks pt LEFT JOIN tracks t ON t.id = pt.track_id GROUP BY 1) x
    WHERE p.id = x.playlist_id AND (p.track_count, p.duration_seconds) IS DISTINCT FROM (x.n::int, x.d::int)`,
  // sync_group_member_count (active members), sync_group_post_count (live posts in the group).
  `UPDATE groups g SET member_count = x.members, post_count = x.posts
     FROM (SELECT g2.id, COALESCE(m.n, 0) AS members, COALESCE(p.n, 0) AS posts FROM groups g2
             LEFT JOIN (SELECT group_id, count(*) AS n FROM group_members WHERE status = 'active' GROUP BY 1) m ON m.group_id = g2.id
             LEFT JOIN (SELECT group_id, count(*) AS n FROM posts WHERE group_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1) p ON p.group_id = g2.id) x
    WHERE g.id = x.id AND (g.member_count, g.post_count) IS DISTINCT FROM (x.members, x.posts)`,
  // sync_post_repost_count: live reposts of each post.
  `UPDATE posts p SET repost_count = x.n
     FROM (SELECT repost_of_id, count(*) AS n FROM posts WHERE repost_of_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1) x
    WHERE p.id = x.repost_of_id AND p.repost_count IS DISTINCT FROM x.n`,
  // sync_hashtag_usage_count: uses, and last_used_at = GREATEST(last_used_at, every use's created_at).
  `UPDATE hashtags h SET usage_count = x.n, last_used_at = GREATEST(h.last_used_at, x.last)
     FROM (SELECT hashtag_id, count(*) AS n, max(created_at) AS last FROM post_hashtags GROUP BY 1) x
    WHERE h.id = x.hashtag_id AND (h.usage_count, h.last_used_at) IS DISTINCT FROM (x.n::int, GREATEST(h.last_used_at, x.last))`,
  // playback_history_increment_play_count, whose trigger fires WHEN (NEW.played_duration >= 30).
  `UPDATE tracks t SET play_count = x.n
     FROM (SELECT track_id, count(*) AS n FROM playback_history WHERE played_duration >= 30 GROUP BY 1) x
    WHERE t.id = x.track_id AND t.play_count IS DISTINCT FROM x.n::int`,
  // search_index_sync for every indexed row: 0021_search_sync.sql's backfill, word for word. The
  // triggers upsert each entity's search_documents row at its last write, and search_documents
  // reads no column the load writes afterwards, so their result is the view's rows now.
  `INSERT INTO search_index (entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at)
   SELECT entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at FROM search_documents
   ON CONFLICT (entity_type, entity_id) DO UPDATE
     SET title = EXCLUDED.title, body = EXCLUDED.body, visibility = EXCLUDED.visibility,
         owner_id = EXCLUDED.owner_id, metadata = EXCLUDED.metadata, created_at = EXCLUDED.created_at`,
];

async function setDerivedTriggers(client: pg.Client, enabled: boolean): Promise<void> {
  for (const [table, triggers] of DERIVED_TRIGGERS) {
    await client.query(`ALTER TABLE ${table} ${triggers.map((t) => `${enabled ? "ENABLE" : "DISABLE"} TRIGGER ${t}`).join(", ")}`);
  }
}

/**
 * Fails loudly unless sampled derived values equal what the triggers compute: counters recounted
 * one row at a time (a different plan than DERIVE's aggregates), search_index rows compared with
 * search_documents and re-synced by the triggers' own search_index_sync() (rolled back), the row
 * counts of search_index and search_documents, and every trigger of the load enabled again.
 */
async function checkDerived(client: pg.Client): Promise<void> {
  const problems: string[] = [];
  const mismatches = async (what: string, sql: string) => {
    const { rows } = await client.query(sql);
    if (rows.length) problems.push(`${what}: ${rows.length} sampled rows differ, e.g. ${JSON.stringify(rows.slice(0, 3))}`);
  };
  await mismatches("user_profiles counters", `SELECT * FROM (SELECT up.user_id, up.follower_count, up.following_count, up.track_count, up.playlist_count,
      (SELECT count(*) FROM follows f WHERE f.following_id = up.user_id) AS followers, (SELECT count(*) FROM follows f WHERE f.follower_id = up.user_id) AS following,
      (SELECT count(*) FROM tracks t WHERE t.creator_id = up.user_id AND t.deleted_at IS NULL) AS tracks,
      (SELECT count(*) FROM playlists p WHERE p.user_id = up.user_id AND p.deleted_at IS NULL) AS playlists
    FROM user_profiles up WHERE up.user_id IN (SELECT id FROM bench_u WHERE n <= 30 OR n BETWEEN ${V.heavyFirst} AND ${V.heavyFirst + 4} OR n % 997 = 0)) s
    WHERE (follower_count, following_count, track_count, playlist_count) IS DISTINCT FROM (followers::int, following::int, tracks::int, playlists::int)`);
  await mismatches("playlists counters", `SELECT * FROM (SELECT p.id, p.track_count, p.duration_seconds, (SELECT count(*) FROM playlist_tracks pt WHERE pt.playlist_id = p.id) AS n,
      (SELECT COALESCE(sum(COALESCE(t.duration, 0)), 0) FROM playlist_tracks pt JOIN tracks t ON t.id = pt.track_id WHERE pt.playlist_id = p.id) AS d
    FROM playlists p WHERE p.id IN (SELECT id FROM bench_p WHERE n % 499 = 0)) s WHERE (track_count, duration_seconds) IS DISTINCT FROM (n::int, d::int)`);
  await mismatches("groups counters", `SELECT * FROM (SELECT g.id, g.member_count, g.post_count,
      (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.status = 'active') AS members,
      (SELECT count(*) FROM posts p WHERE p.group_id = g.id AND p.deleted_at IS NULL) AS posts
    FROM groups g WHERE g.id IN (SELECT id FROM bench_g WHERE n <= 20 OR n % 101 = 0)) s WHERE (member_count, post_count) IS DISTINCT FROM (members::int, posts::int)`);
  await mismatches("posts repost_count", `SELECT * FROM (SELECT p.id, p.repost_count, (SELECT count(*) FROM posts r WHERE r.repost_of_id = p.id AND r.deleted_at IS NULL) AS n
    FROM posts p WHERE p.id IN (SELECT id FROM bench_post WHERE n <= 200 OR n % 9973 = 0)) s WHERE repost_count IS DISTINCT FROM n::int`);
  await mismatches("hashtags usage", `SELECT * FROM (SELECT h.id, h.tag, h.usage_count, h.last_used_at, (SELECT count(*) FROM post_hashtags ph WHERE ph.hashtag_id = h.id) AS n,
      GREATEST(h.first_used_at, (SELECT max(ph.created_at) FROM post_hashtags ph WHERE ph.hashtag_id = h.id)) AS last
    FROM hashtags h WHERE h.id IN (SELECT id FROM hashtags ORDER BY tag LIMIT 60)) s
    WHERE usage_count IS DISTINCT FROM n::int OR (n > 0 AND last_used_at IS DISTINCT FROM last)`);
  await mismatches("tracks play_count", `SELECT * FROM (SELECT t.id, t.play_count, (SELECT count(*) FROM playback_history ph WHERE ph.track_id = t.id AND ph.played_duration >= 30) AS n
    FROM tracks t WHERE t.id IN (SELECT id FROM bench_t WHERE n <= 30 OR n % 4999 = 0)) s WHERE play_count IS DISTINCT FROM n::int`);
  // A sample of every entity type (a prime stride over the index), and of documents, both ways.
  const cols = "entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at";
  await mismatches("search_index vs search_documents", `WITH s AS (SELECT entity_type, entity_id FROM search_index WHERE hashint4(hashtext(entity_id::text)) % 1009 = 0
      UNION SELECT 'user', id FROM bench_u WHERE n % 101 = 0 UNION SELECT 'track', id FROM bench_t WHERE n % 1009 = 0
      UNION SELECT 'post', id FROM bench_post WHERE n % 1009 = 0 UNION SELECT 'group', id FROM bench_g WHERE n % 31 = 0 UNION SELECT 'playlist', id FROM bench_p WHERE n % 211 = 0)
    (SELECT 'index' AS side, ${cols} FROM search_index WHERE (entity_type, entity_id) IN (SELECT * FROM s) EXCEPT SELECT 'index', ${cols} FROM search_documents WHERE (entity_type, entity_id) IN (SELECT * FROM s))
    UNION ALL
    (SELECT 'documents', ${cols} FROM search_documents WHERE (entity_type, entity_id) IN (SELECT * FROM s) EXCEPT SELECT 'documents', ${cols} FROM search_index WHERE (entity_type, entity_id) IN (SELECT * FROM s))`);
  // The trigger's own function over sampled rows changes nothing (rolled back either way).
  await client.query("BEGIN");
  try {
    const sample = `SELECT entity_type, entity_id FROM search_index WHERE hashint4(hashtext(entity_id::text)) % 4001 = 0`;
    await client.query(`CREATE TEMP TABLE bench_check ON COMMIT DROP AS SELECT ${cols} FROM search_index WHERE (entity_type, entity_id) IN (${sample})`);
    await client.query(`SELECT search_index_sync(entity_type, entity_id) FROM bench_check`);
    await mismatches("search_index_sync() re-run", `(SELECT ${cols} FROM bench_check EXCEPT SELECT ${cols} FROM search_index WHERE (entity_type, entity_id) IN (SELECT entity_type, entity_id FROM bench_check))
      UNION ALL (SELECT ${cols} FROM search_index WHERE (entity_type, entity_id) IN (SELECT entity_type, entity_id FROM bench_check) EXCEPT SELECT ${cols} FROM bench_check)`);
  } finally {
    await client.query("ROLLBACK");
  }
  const [[indexed, documents]] = await ids(client, "SELECT (SELECT count(*) FROM search_index), (SELECT count(*) FROM search_documents)") as [[string, string]];
  if (indexed !== documents) problems.push(`search_index holds ${indexed} rows, search_documents ${documents}`);
  const { rows: off } = await client.query(`SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgenabled = 'D'`);
  if (off.length) problems.push(`triggers still disabled: ${off.map((r) => `${r.relname}.${r.tgname}`).join(", ")}`);
  if (problems.length) throw new Error(`derived data differs from what the triggers would have written:\n  ${problems.join("\n  ")}`);
  log("derived counters and search_index match a recount and search_index_sync() on the samples; every trigger enabled");
}

async function timed(client: pg.Client, sql: string): Promise<void> {
  const t = performance.now();
  await client.query(sql);
  log(`${((performance.now() - t) / 1000).toFixed(1)} s  ${sql.replace(/\s+/g, " ").slice(0, 100)}`);
}

async function populate(client: pg.Client, url: string, from = 0): Promise<void> {
  await setDerivedTriggers(client, false);
  const second = new pg.Client({ connectionString: url });
  await second.connect();
  try {
    const start = Math.max(from, PLAYS_AFTER);
    await runSteps(client, POPULATE.slice(from, start));
    const plays = runSteps(second, PLAYS);
    // Both lanes run to the end even if one fails, so no statement is left running.
    const results = await Promise.allSettled([runSteps(client, POPULATE.slice(start)), plays]);
    for (const r of results) if (r.status === "rejected") throw r.reason;
  } finally {
    await second.end().catch(() => undefined);
  }
  // Derived once, set-based, in one transaction with the triggers enabled again at its end.
  await client.query("BEGIN");
  try {
    for (const sql of DERIVE) await timed(client, sql);
    await setDerivedTriggers(client, true);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  }
  await timed(client, "REFRESH MATERIALIZED VIEW trending_tracks");
  // Every table the load wrote (groups too: explore and hashtags read it), then the rest.
  await timed(client, `VACUUM ANALYZE users, user_profiles, user_settings, files, tracks, playlists, playlist_tracks, follows, blocks, groups, group_members,
    hashtags, posts, post_hashtags, playback_history, search_index, trending_tracks, audit_logs, bench_u, bench_t, bench_p, bench_g, bench_h, bench_post, bench_ph, bench_pt`);
  const t = performance.now();
  await checkDerived(client);
  log(`${((performance.now() - t) / 1000).toFixed(1)} s  check of the derived data`);
}

export async function communityQueriesBench(): Promise<Row[]> {
  if (!(await reachable())) {
    return [{ area: "community", metric: `community endpoints: skipped (no PostgreSQL at ${ADMIN_URL})`, value: 0, unit: "" }];
  }
  const reuse = process.env.BENCH_COMMUNITY_DB;
  const keep = Boolean(reuse) || process.env.BENCH_COMMUNITY_KEEP === "1";
  const { dbName, url, release } = await scratchDatabase("veza_bench_community", log, reuse);
  const rows: Row[] = [];
  let backend: Backend | undefined;
  let server: DevDatabaseServer | undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    backend = await createPostgresBackend(url);
    await client.connect();
    const resume = process.env.BENCH_COMMUNITY_FROM;
    if (!reuse || resume) {
      if (!reuse) await migrate(backendExecutor(backend));
      const t0 = performance.now();
      await populate(client, url, Number(resume ?? 0));
      const seconds = (performance.now() - t0) / 1000;
      log(`loaded in ${seconds.toFixed(0)} s into ${dbName}`);
      rows.push({ area: "community", metric: "population time (set-based, derived data once at the end, 2 cores)", value: Math.round(seconds), unit: "s", budget: "< 600 s", ok: seconds < 600 });
    }
    const countsSql = `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM tracks), (SELECT count(*) FROM playlists), (SELECT count(*) FROM follows),
      (SELECT count(*) FROM posts), (SELECT count(*) FROM posts WHERE repost_of_id IS NOT NULL), (SELECT count(*) FROM post_hashtags), (SELECT count(*) FROM groups),
      (SELECT count(*) FROM group_members), (SELECT count(*) FROM blocks), (SELECT count(*) FROM playback_history), (SELECT count(*) FROM playback_history_default),
      (SELECT count(*) FROM search_index), (SELECT count(*) FROM trending_tracks), (SELECT count(*) FROM playlist_tracks)`;
    const c = (await ids(client, countsSql))[0]!.map(Number);
    const k = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : `${n}`);
    const volumes = `users ${k(c[0]!)}, tracks ${k(c[1]!)}, playlists ${k(c[2]!)} (${k(c[14]!)} entries), follows ${k(c[3]!)}, posts ${k(c[4]!)} (reposts ${k(c[5]!)}), post_hashtags ${k(c[6]!)}, groups ${k(c[7]!)} (${k(c[8]!)} members), blocks ${k(c[9]!)}, plays ${k(c[10]!)} (default partition ${c[11]}), search_index ${k(c[12]!)}, trending_tracks ${c[13]}`;
    log(volumes);
    rows.push({ area: "community", metric: `volumes: ${volumes}`, value: "" });

    // Who and what the requests are about; sample 0 is captured, samples 1..SAMPLES replayed.
    const cyc = <T>(xs: T[], i: number) => xs[i % xs.length]!;
    const live = "u.deleted_at IS NULL AND NOT u.is_banned";
    const typical = (await ids(client, `SELECT u.id FROM users u JOIN user_profiles up ON up.user_id = u.id WHERE ${live} AND up.following_count BETWEEN 36 AND 44 ORDER BY random() LIMIT ${SAMPLES + 1}`)).map((r) => r[0]!);
    const heavy = (await ids(client, `SELECT u.id FROM users u JOIN user_profiles up ON up.user_id = u.id WHERE ${live} AND up.following_count >= ${V.heavyFollows} ORDER BY random()`)).map((r) => r[0]!);
    const prolific = (await ids(client, `SELECT u.username FROM users u JOIN user_profiles up ON up.user_id = u.id WHERE ${live} AND up.profile_visibility = 'public'
      AND u.id IN (SELECT user_id FROM posts GROUP BY user_id ORDER BY count(*) DESC LIMIT 10)`)).map((r) => r[0]!);
    const popularTags = (await ids(client, "SELECT tag FROM hashtags ORDER BY usage_count DESC LIMIT 20")).map((r) => r[0]!);
    const tagUses = Number((await ids(client, "SELECT max(usage_count) FROM hashtags"))[0]![0]);
    const postsOf = Number((await ids(client, "SELECT max(n) FROM (SELECT count(*) AS n FROM posts GROUP BY user_id) x"))[0]![0]);
    // Search queries never made only of hex letters and digits: they are substituted into the
    // captured parameters, which must not rewrite a uuid.
    const prefixes = ["bey", "tra", "mot", "sun", "nig", "rhy", "zoë", "gro", "sil", "win"];
    const words = ["midnight", "trance", "motörhead", "jazz", "ocean", "summer", "groove", "velvet", "horizon", "winter"];
    const phrases = ["midnight jazz", "summer trance", "velvet groove", "ocean rhythm", "neon night", "silver moon", "deep house", "winter storm"];
    const user = (i: number) => cyc(typical, i);
    const q = (xs: string[]) => (i: number) => ({ user: user(i), q: cyc(xs, i) });
    const enc = encodeURIComponent;
    // Page 1 first (which also warms the auth state cache): its next_cursor, or null if it has none.
    const nextPage = (path: string) => async (b: Binding, call: (path: string, user: string) => Promise<{ status: number; body: any }>) => {
      const page = await call(path, b.user!);
      if (page.status !== 200) return null;
      if (typeof page.body?.next_cursor !== "string") throw new Error(`${path}: no next_cursor on page 1`);
      return { ...b, cursor: page.body.next_cursor as string };
    };

    const E: Endpoint[] = [
      { label: "GET /v1/feed (follows ~40)", volume: `${k(c[3]!)} follows, ${k(c[4]!)} posts`, path: () => "/v1/feed", pick: (i) => ({ user: user(i) }) },
      {
        label: "GET /v1/feed page 2 (follows ~40)",
        volume: `${k(c[3]!)} follows, ${k(c[4]!)} posts`,
        path: (b) => `/v1/feed?cursor=${enc(b.cursor!)}`,
        pick: (i) => ({ user: user(i) }),
        prepare: nextPage("/v1/feed"),
      },
      { label: `GET /v1/feed (follows ${V.heavyFollows})`, volume: `${k(c[3]!)} follows, ${k(c[4]!)} posts`, path: () => "/v1/feed", pick: (i) => ({ user: cyc(heavy, i) }) },
      {
        label: `GET /v1/feed page 2 (follows ${V.heavyFollows})`,
        volume: `${k(c[3]!)} follows, ${k(c[4]!)} posts`,
        path: (b) => `/v1/feed?cursor=${enc(b.cursor!)}`,
        pick: (i) => ({ user: cyc(heavy, i) }),
        prepare: nextPage("/v1/feed"),
      },
      { label: "GET /v1/search?q=<common prefix> (bey, tra…)", volume: `${k(c[12]!)} search_index`, path: (b) => `/v1/search?q=${enc(b.q!)}`, pick: q(prefixes) },
      { label: "GET /v1/search?q=<word> (midnight…)", volume: `${k(c[12]!)} search_index`, path: (b) => `/v1/search?q=${enc(b.q!)}`, pick: q(words) },
      { label: "GET /v1/search?q=<two words> (midnight jazz…)", volume: `${k(c[12]!)} search_index`, path: (b) => `/v1/search?q=${enc(b.q!)}`, pick: q(phrases) },
      { label: "GET /v1/search?q=<prefix>&type=track", volume: `${k(c[12]!)} search_index`, path: (b) => `/v1/search?q=${enc(b.q!)}&type=track`, pick: q(prefixes) },
      { label: "GET /v1/search?q=<prefix>&type=user", volume: `${k(c[12]!)} search_index`, path: (b) => `/v1/search?q=${enc(b.q!)}&type=user`, pick: q(prefixes) },
      { label: "GET /v1/tracks/trending", volume: `${k(c[10]!)} plays in 7 days`, path: () => "/v1/tracks/trending", pick: (i) => ({ user: user(i) }) },
      { label: "GET /v1/explore", volume: `${k(c[4]!)} posts`, path: () => "/v1/explore", pick: (i) => ({ user: user(i) }) },
      {
        label: `GET /v1/hashtags/:tag/posts (top 20 tags, up to ${k(tagUses)} uses)`,
        volume: `${k(c[6]!)} post_hashtags`,
        path: (b) => `/v1/hashtags/${enc(b.tag!)}/posts`,
        pick: (i) => ({ user: user(i), tag: cyc(popularTags, i) }),
      },
      {
        label: `GET /v1/users/:username/posts (top 10 posters, up to ${k(postsOf)} posts)`,
        volume: `${k(c[4]!)} posts`,
        path: (b) => `/v1/users/${enc(b.username!)}/posts`,
        pick: (i) => ({ user: user(i), username: cyc(prolific, i) }),
      },
    ];

    // The Worker against this database, through a dev server that records what it is sent.
    const worker = await capturingWorker(backend, "community");
    backend = undefined; // the server closes it now
    server = worker.server;
    const { mf, capture } = worker;
    const call = async (path: string, userId: string) => {
      const token = await signAccessToken({ sub: userId, role: "user", sid: crypto.randomUUID(), tv: 0 }, JWT_SECRET);
      const res = (await mf.dispatchFetch(`https://veza.bench${path}`, { headers: { authorization: `Bearer ${token}` } } as never)) as unknown as Response;
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text for the error message
      }
      return { status: res.status, body };
    };
    const missing: string[] = [];
    try {
      for (const e of E) {
        // Once to warm the auth state cache (the hot path reads it from the edge cache), then captured.
        const prepared = e.prepare ? await e.prepare(e.pick(0), call) : e.pick(0);
        let res = prepared ? await call(e.path(prepared), prepared.user!) : undefined;
        let units: Unit[] = [];
        let roundTrips = 0;
        if (prepared && res) ({ result: res, units, roundTrips } = await capture(() => call(e.path(prepared), prepared.user!)));
        const b0 = prepared ?? e.pick(0);
        if (!res || (res.status === 404 && units.length === 0)) {
          log(`${e.label}: route missing (404${res ? ` ${JSON.stringify(res.body).slice(0, 120)}` : " on page 1"})`);
          missing.push(e.label);
          rows.push({ area: "community", metric: `${e.label}: endpoint missing (404)`, value: "-", ok: false });
          continue;
        }
        if (res.status >= 400 || units.length === 0) {
          const why = res.status >= 400 ? `answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}` : "sent no statement";
          log(`${e.label}: ${why}`);
          rows.push({ area: "community", metric: `${e.label}: ${why}`, value: "-", ok: false });
          continue;
        }
        const items = Array.isArray(res.body?.items) ? res.body.items.length : Array.isArray(res.body?.tracks) ? res.body.tracks.length : undefined;
        let worst = 0;
        let worstP50 = 0;
        let sampled = SAMPLES;
        const indexes: string[] = [];
        const scans: string[] = [];
        for (const [n, unit] of units.entries()) {
          const inTx = unit.statements.length > 1 || unit.statements.some((s) => isWrite(s.query));
          // Other entities in the same parameters: every value of sample 0's binding replaced by sample i's.
          const { times, failures } = await replay(client, unit, (i) => paramsFor(unit, b0, e.pick(i)), {
            samples: SAMPLES,
            begin: inTx ? "BEGIN" : undefined,
            capMs: SAMPLING_CAP_MS,
            minSamples: MIN_SAMPLES,
            onFailure: (i, err) => log(`${e.label}: sample ${i} failed: ${err}`),
          });
          if (failures > times.length / 10) throw new Error(`${e.label}: ${failures} of ${times.length + failures} samples failed`);
          sampled = Math.min(sampled, times.length);
          const p95 = percentile(times, 95);
          worst = Math.max(worst, p95);
          worstP50 = Math.max(worstP50, median(times));
          const plan = await planOf(client, unit, paramsFor(unit, b0, e.pick(1)));
          indexes.push(...plan.indexes);
          scans.push(...plan.scans);
          if (p95 >= BUDGET_MS && process.env.BENCH_COMMUNITY_ANALYZE !== "0") {
            // The slowest sample's plan, with timings, for the report.
            const slowest = times.indexOf(Math.max(...times)) + 1;
            await client.query("BEGIN");
            try {
              for (const [j, s] of unit.statements.entries()) {
                const text = (await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.query}`, values: paramsFor(unit, b0, e.pick(slowest))[j] })).rows.map((r) => r["QUERY PLAN"]).join("\n");
                log(`${e.label}: round trip ${n + 1} statement ${j + 1} over budget (p95 ${p95.toFixed(2)} ms), sample ${slowest}:\n${s.query}\n${text}`);
              }
            } finally {
              await client.query("ROLLBACK");
            }
          }
        }
        log(`${e.label}: ${roundTrips} round trip(s) (${units.length} after auth), ${units.reduce((a, u) => a + u.statements.length, 0)} statement(s), ${items ?? "?"} items, ${sampled} samples, p50 ${worstP50.toFixed(2)} ms, p95 ${worst.toFixed(2)} ms, indexes ${[...new Set(indexes)].join(", ")}${scans.length ? `, SEQ SCAN on ${[...new Set(scans)].join(", ")}` : ""}`);
        rows.push({ area: "community", metric: `${e.label} p50 / p95 (PostgreSQL 15, ${e.volume}; ${sampled} samples)`, value: `${worstP50.toFixed(2)} / ${worst.toFixed(2)} ms`, budget: "p95 < 10 ms", ok: worst < BUDGET_MS });
        rows.push({ area: "community", metric: `${e.label} round trips (auth state cached)`, value: roundTrips, budget: "1", ok: roundTrips <= 1 });
        rows.push({
          area: "community",
          metric: `${e.label} plan: ${[...new Set(indexes)].join(", ") || "no index"}${scans.length ? `; SEQ SCAN on ${[...new Set(scans)].join(", ")}` : ""}`,
          value: scans.length,
          unit: "seq scans",
          budget: "0",
          ok: scans.length === 0,
        });
      }
    } finally {
      await mf.dispose();
    }
    if (missing.length) log(`missing endpoints: ${missing.join("; ")}`);
  } finally {
    await client.end().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await release(keep);
  }
  return rows;
}
