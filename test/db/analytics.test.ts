// Constraints of migrations/0012_analytics.sql (analytics_events, daily_metrics, track_analytics,
// reports, dashboard_configs), the §23 materialized views of 0014 (concurrent refresh, no
// double counting) and the search tables of 0011 (accent-insensitive full text, trigram titles).
// Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, uniq, one, insertRows, type Row } from "../helpers/db";

/** A playable (ready) track of `creatorId`. */
async function newTrack(creatorId: string, opts: { visibility?: string; title?: string } = {}): Promise<string> {
  const file = await createFile(creatorId);
  const row = await one(
    `INSERT INTO tracks (creator_id, file_id, title, visibility, status, duration, hls_path)
     VALUES ($1, $2, $3, $4, 'ready', 180, $5) RETURNING id`,
    [creatorId, file.id, opts.title ?? `Track ${uniq()}`, opts.visibility ?? "public", `hls/${uniq()}`],
  );
  return row.id as string;
}

async function play(userId: string | null, trackId: string, completion: number, seconds = 60): Promise<void> {
  await sql.query(
    "INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage) VALUES ($1, $2, $4, $3)",
    [userId, trackId, completion, seconds],
  );
}

const insertInto = (table: string, cols: Row) => insertRows(table, cols, "id");

type Case = { name: string; code: string; constraint?: string; run: () => Promise<unknown> };

const rejects: Case[] = [
  // track_analytics
  { name: "a second track_analytics row for the same track and day", code: "23505", constraint: "uq_track_analytics_track_day", run: async () => {
    const u = await createUser();
    const t = await newTrack(u.id);
    await insertInto("track_analytics", { track_id: t, day: "2025-03-01", plays: 3, unique_listeners: 2 });
    return insertInto("track_analytics", { track_id: t, day: "2025-03-01", plays: 1, unique_listeners: 1 });
  } },
  { name: "more unique listeners than plays", code: "23514", constraint: "chk_track_analytics_unique_listeners_range", run: async () => {
    const u = await createUser();
    return insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-01", plays: 1, unique_listeners: 2 });
  } },
  { name: "negative plays", code: "23514", constraint: "chk_track_analytics_plays_non_negative", run: async () => {
    const u = await createUser();
    return insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-01", plays: -1 });
  } },
  { name: "an average completion of 100.01", code: "23514", constraint: "chk_track_analytics_avg_completion_range", run: async () => {
    const u = await createUser();
    return insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-01", avg_completion: "100.01" });
  } },
  { name: "negative listening time", code: "23514", constraint: "chk_track_analytics_total_listen_seconds_non_negative", run: async () => {
    const u = await createUser();
    return insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-01", total_listen_seconds: -5 });
  } },
  { name: "source counts that are not an object", code: "23514", constraint: "chk_track_analytics_source_counts_object", run: async () => {
    const u = await createUser();
    return insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-01", source_counts: "[1, 2]" });
  } },
  { name: "track analytics of a track that does not exist", code: "23503", constraint: "fk_track_analytics_tracks", run: async () =>
    insertInto("track_analytics", { track_id: MISSING, day: "2025-03-01" }) },
  // daily_metrics
  { name: "a second value for the same day, metric and dimension", code: "23505", constraint: "uq_daily_metrics_date_name_dimension", run: async () => {
    const name = `test_${uniq()}`;
    await insertInto("daily_metrics", { metric_date: "2025-03-01", metric_name: name, value: 1 });
    return insertInto("daily_metrics", { metric_date: "2025-03-01", metric_name: name, value: 2 });
  } },
  { name: "a metric name of 'Plays Total'", code: "23514", constraint: "chk_daily_metrics_metric_name_format", run: async () =>
    insertInto("daily_metrics", { metric_date: "2025-03-01", metric_name: "Plays Total", value: 1 }) },
  // analytics_events
  { name: "an event_type of 'Track Play'", code: "23514", constraint: "chk_analytics_events_event_type_format", run: async () =>
    insertInto("analytics_events", { event_type: "Track Play" }) },
  { name: "an entity_type without an entity_id", code: "23514", constraint: "chk_analytics_events_entity_pair", run: async () =>
    insertInto("analytics_events", { event_type: "track.play", entity_type: "track" }) },
  { name: "an entity_type of 'planet'", code: "23514", constraint: "chk_analytics_events_entity_type_valid", run: async () =>
    insertInto("analytics_events", { event_type: "page.view", entity_type: "planet", entity_id: MISSING }) },
  { name: "an anonymised event that still names its user", code: "23514", constraint: "chk_analytics_events_anonymized_clean", run: async () => {
    const u = await createUser();
    return insertInto("analytics_events", { event_type: "track.play", user_id: u.id, anonymized_at: new Date() });
  } },
  { name: "an anonymised event that still has an IP address", code: "23514", constraint: "chk_analytics_events_anonymized_clean", run: async () =>
    insertInto("analytics_events", { event_type: "track.play", ip_address: "192.0.2.1", anonymized_at: new Date() }) },
  { name: "event properties that are not an object", code: "23514", constraint: "chk_analytics_events_properties_object", run: async () =>
    insertInto("analytics_events", { event_type: "page.view", properties: '"x"' }) },
  { name: "an event of a user that does not exist", code: "23503", constraint: "fk_analytics_events_users", run: async () =>
    insertInto("analytics_events", { event_type: "page.view", user_id: MISSING }) },
  // reports
  { name: "a report_type of 'listener_profiles'", code: "23514", constraint: "chk_reports_report_type_valid", run: async () => {
    const u = await createUser();
    return insertInto("reports", { owner_id: u.id, report_type: "listener_profiles" });
  } },
  { name: "a report format of 'xlsx'", code: "23514", constraint: "chk_reports_format_valid", run: async () => {
    const u = await createUser();
    return insertInto("reports", { owner_id: u.id, report_type: "sales", format: "xlsx" });
  } },
  { name: "a report status of 'done'", code: "23514", constraint: "chk_reports_status_valid", run: async () => {
    const u = await createUser();
    return insertInto("reports", { owner_id: u.id, report_type: "sales", status: "done" });
  } },
  { name: "a report period ending before it starts", code: "23514", constraint: "chk_reports_period_order", run: async () => {
    const u = await createUser();
    return insertInto("reports", { owner_id: u.id, report_type: "sales", period_start: "2025-02-01", period_end: "2025-01-01" });
  } },
  { name: "a completed report without its file", code: "23514", constraint: "chk_reports_completed_has_file", run: async () => {
    const u = await createUser();
    const [r] = await insertInto("reports", { owner_id: u.id, report_type: "track_performance" });
    return sql.query("UPDATE reports SET status = 'completed' WHERE id = $1", [r!.id]);
  } },
  { name: "a report of a user that does not exist", code: "23503", constraint: "fk_reports_users", run: async () =>
    insertInto("reports", { owner_id: MISSING, report_type: "sales" }) },
  // dashboard_configs
  { name: "a second default dashboard", code: "23505", constraint: "uq_dashboard_configs_owner_default", run: async () => {
    const u = await createUser();
    await insertInto("dashboard_configs", { owner_id: u.id, name: "Main", is_default: true });
    return insertInto("dashboard_configs", { owner_id: u.id, name: "Other", is_default: true });
  } },
  { name: "two dashboards named alike (case-insensitive)", code: "23505", constraint: "uq_dashboard_configs_owner_name", run: async () => {
    const u = await createUser();
    await insertInto("dashboard_configs", { owner_id: u.id, name: "Main" });
    return insertInto("dashboard_configs", { owner_id: u.id, name: "main" });
  } },
  { name: "a dashboard layout that is an array", code: "23514", constraint: "chk_dashboard_configs_layout_object", run: async () => {
    const u = await createUser();
    return insertInto("dashboard_configs", { owner_id: u.id, name: "L", layout: "[]" });
  } },
  { name: "a dashboard with a blank name", code: "23514", constraint: "chk_dashboard_configs_name_not_blank", run: async () => {
    const u = await createUser();
    return insertInto("dashboard_configs", { owner_id: u.id, name: "  " });
  } },
  // search_queries / search_index (0011)
  { name: "a blank search query", code: "23514", constraint: "chk_search_queries_query_not_blank", run: async () => {
    const u = await createUser();
    return insertInto("search_queries", { user_id: u.id, query: "   " });
  } },
  { name: "a search_type of 'albums'", code: "23514", constraint: "chk_search_queries_search_type_valid", run: async () => {
    const u = await createUser();
    return insertInto("search_queries", { user_id: u.id, query: "x", search_type: "albums" });
  } },
  { name: "a negative result count", code: "23514", constraint: "chk_search_queries_result_count_non_negative", run: async () => {
    const u = await createUser();
    return insertInto("search_queries", { user_id: u.id, query: "x", result_count: -1 });
  } },
  { name: "search history of a user that does not exist", code: "23503", constraint: "fk_search_queries_users", run: async () =>
    insertInto("search_queries", { user_id: MISSING, query: "x" }) },
  { name: "indexing the same entity twice", code: "23505", constraint: "uq_search_index_entity", run: async () => {
    const id = crypto.randomUUID();
    await insertInto("search_index", { entity_type: "post", entity_id: id, title: "one" });
    return insertInto("search_index", { entity_type: "post", entity_id: id, title: "two" });
  } },
  { name: "an indexed entity_type of 'album'", code: "23514", constraint: "chk_search_index_entity_type_valid", run: async () =>
    insertInto("search_index", { entity_type: "album", entity_id: crypto.randomUUID(), title: "x" }) },
  { name: "writing the generated search document", code: "428C9", run: async () =>
    sql.query("INSERT INTO search_index (entity_type, entity_id, title, document) VALUES ('post', $1, 'x', 'x')", [crypto.randomUUID()]) },
];

describe("analytics and search constraints (0011, 0012)", () => {
  it.each(rejects)("rejects $name", async ({ code, constraint, run }) => {
    await expectPgError(run(), code, constraint);
  });
});

describe("analytics tables", () => {
  it("upserts a daily metric on (metric_date, metric_name, dimension)", async () => {
    const name = `test_${uniq()}`;
    const upsert = `INSERT INTO daily_metrics (metric_date, metric_name, dimension, value) VALUES ('2025-03-01', $1, $2, $3)
                    ON CONFLICT (metric_date, metric_name, dimension) DO UPDATE SET value = EXCLUDED.value RETURNING value`;
    await sql.query(upsert, [name, "", 10]);
    await sql.query(upsert, [name, "rock", 4]);
    const row = await one(upsert, [name, "", 12]);
    expect(row.value).toBe("12");
    const rows = await sql.query("SELECT dimension FROM daily_metrics WHERE metric_name = $1 ORDER BY dimension", [name]);
    expect(rows.map((r) => r.dimension)).toEqual(["", "rock"]);
  });

  it("keeps a user's events, anonymous, when the account is deleted", async () => {
    const u = await createUser();
    const [e] = await insertInto("analytics_events", { event_type: "track.play", user_id: u.id, ip_address: "192.0.2.7" });
    await sql.query("DELETE FROM users WHERE id = $1", [u.id]);
    const row = await one("SELECT user_id, event_type FROM analytics_events WHERE id = $1", [e!.id]);
    expect(row).toEqual({ user_id: null, event_type: "track.play" });
  });

  it("anonymises an event and moves its updated_at", async () => {
    const u = await createUser();
    const [e] = await insertInto("analytics_events", {
      event_type: "page.view", user_id: u.id, session_id: crypto.randomUUID(), ip_address: "192.0.2.8", user_agent: "UA",
    });
    const row = await one(
      `UPDATE analytics_events SET user_id = NULL, session_id = NULL, ip_address = NULL, user_agent = NULL, anonymized_at = now()
        WHERE id = $1 RETURNING updated_at > created_at AS moved`,
      [e!.id],
    );
    expect(row.moved).toBe(true);
  });

  it("deletes a track's analytics with the track", async () => {
    const u = await createUser();
    const t = await newTrack(u.id);
    await insertInto("track_analytics", { track_id: t, day: "2025-03-02", plays: 5, unique_listeners: 3, source_counts: '{"search": 5}' });
    await sql.query("DELETE FROM tracks WHERE id = $1", [t]);
    expect(await sql.query("SELECT 1 FROM track_analytics WHERE track_id = $1", [t])).toHaveLength(0);
  });

  it("moves track_analytics.updated_at on UPDATE", async () => {
    const u = await createUser();
    const [r] = await insertInto("track_analytics", { track_id: await newTrack(u.id), day: "2025-03-03" });
    const row = await one("UPDATE track_analytics SET plays = plays + 1 WHERE id = $1 RETURNING updated_at > created_at AS moved", [r!.id]);
    expect(row.moved).toBe(true);
  });

  it("allows a new default dashboard once the old one is soft-deleted", async () => {
    const u = await createUser();
    const [d] = await insertInto("dashboard_configs", { owner_id: u.id, name: "Main", is_default: true });
    await sql.query("UPDATE dashboard_configs SET deleted_at = now() WHERE id = $1", [d!.id]);
    await expect(insertInto("dashboard_configs", { owner_id: u.id, name: "Main", is_default: true })).resolves.toHaveLength(1);
  });
});

describe("materialized views (0014)", () => {
  it("refreshes trending_tracks and user_statistics concurrently", async () => {
    await sql.query("REFRESH MATERIALIZED VIEW CONCURRENTLY trending_tracks");
    await sql.query("REFRESH MATERIALIZED VIEW CONCURRENTLY user_statistics");
  });

  it("user_statistics does not multiply counts by followers and playlists", async () => {
    const creator = await createUser();
    const [t1, t2] = [await newTrack(creator.id), await newTrack(creator.id)];
    const deleted = await newTrack(creator.id);
    await sql.query("UPDATE tracks SET play_count = 7, like_count = 2 WHERE id = $1", [t1]);
    await sql.query("UPDATE tracks SET play_count = 5, like_count = 1 WHERE id = $1", [t2]);
    await sql.query("UPDATE tracks SET play_count = 100, deleted_at = now() WHERE id = $1", [deleted]);
    for (let i = 0; i < 3; i++) {
      const f = await createUser();
      await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [f.id, creator.id]);
    }
    const followed = await createUser();
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [creator.id, followed.id]);
    await sql.query("INSERT INTO playlists (user_id, name) VALUES ($1, 'One'), ($1, 'Two')", [creator.id]);

    await sql.query("REFRESH MATERIALIZED VIEW CONCURRENTLY user_statistics");
    const row = await one("SELECT * FROM user_statistics WHERE user_id = $1", [creator.id]);
    expect(row).toMatchObject({
      username: creator.username,
      track_count: 2,
      playlist_count: 2,
      follower_count: 3,
      following_count: 1,
      total_plays: "12", // 7 + 5 (the spec's joins gave 12 x 3 followers x 2 playlists = 72)
      total_likes: "3",
    });
    expect(row.last_track_uploaded).toBeInstanceOf(Date);
  });

  it("user_statistics shows zeros, not NULLs, for a user with nothing", async () => {
    const u = await createUser();
    await sql.query("REFRESH MATERIALIZED VIEW CONCURRENTLY user_statistics");
    const row = await one("SELECT * FROM user_statistics WHERE user_id = $1", [u.id]);
    expect(row).toMatchObject({
      track_count: 0, playlist_count: 0, follower_count: 0, following_count: 0,
      total_plays: "0", total_likes: "0", last_track_uploaded: null,
    });
  });

  it("trending_tracks counts distinct listeners and counted plays (anonymised ones too); skips and unplayed tracks do not chart", async () => {
    const creator = await createUser();
    const [a, b] = [await createUser(), await createUser()];
    const hot = await newTrack(creator.id);
    const unplayed = await newTrack(creator.id);
    const skipped = await newTrack(creator.id);
    const hidden = await newTrack(creator.id, { visibility: "private" });
    // like counts far above anything else in the test database keep the tracks in the top 100
    await sql.query("UPDATE tracks SET like_count = 1000000 WHERE id = $1", [hot]);
    await sql.query("UPDATE tracks SET like_count = 900000 WHERE id IN ($1, $2)", [unplayed, skipped]);
    await sql.query("UPDATE tracks SET like_count = 2000000 WHERE id = $1", [hidden]);
    await play(a.id, hot, 50);
    await play(a.id, hot, 100);
    await play(b.id, hot, 50);
    await play(null, hot, 30); // user_id anonymised
    await play(b.id, hot, 5, 29); // a skip: not a play
    await play(a.id, skipped, 5, 10);
    await play(b.id, hidden, 100);

    await sql.query("REFRESH MATERIALIZED VIEW CONCURRENTLY trending_tracks");
    const rows = await sql.query(
      "SELECT id, unique_listeners_7d, play_count_7d, avg_completion, trending_score FROM trending_tracks WHERE id = ANY($1::uuid[])",
      [[hot, unplayed, skipped, hidden]],
    );
    expect(rows.map((r) => r.id)).toEqual([hot]);
    const h = rows[0]!;
    expect(Number(h.unique_listeners_7d)).toBe(2);
    expect(Number(h.play_count_7d)).toBe(4);
    expect(Number(h.avg_completion)).toBeCloseTo(57.5);
    expect(Number(h.trending_score)).toBeCloseTo(2 * 0.4 + 4 * 0.3 + 57.5 * 0.2 + 1000000 * 0.1);
  });
});

describe("search (0011)", () => {
  it("finds an indexed entity without its accents, by full text and by fuzzy title", async () => {
    const word = `zq${uniq()}`;
    const id = crypto.randomUUID();
    await insertInto("search_index", { entity_type: "track", entity_id: id, title: `Café Été ${word}`, body: "Björk remix" });
    const fts = await sql.query(
      "SELECT entity_id FROM search_index WHERE document @@ websearch_to_tsquery('simple', f_unaccent($1))",
      [`cafe bjork ${word}`],
    );
    expect(fts.map((r) => r.entity_id)).toEqual([id]);
    const fuzzy = await sql.query(
      "SELECT entity_id FROM search_index WHERE f_unaccent(lower(title)) % f_unaccent(lower($1))",
      [`CAFÉ ETE ${word}`],
    );
    expect(fuzzy.map((r) => r.entity_id)).toContain(id);
  });

  it("regenerates the document when the title changes, and moves updated_at", async () => {
    const word = `zq${uniq()}`;
    const [r] = await insertInto("search_index", { entity_type: "playlist", entity_id: crypto.randomUUID(), title: "before" });
    const row = await one(
      `UPDATE search_index SET title = $2 WHERE id = $1
       RETURNING document @@ to_tsquery('simple', $3) AS found, updated_at > created_at AS moved`,
      [r!.id, `Noël ${word}`, `noel & ${word}`],
    );
    expect(row).toEqual({ found: true, moved: true });
  });

  it("erases a user's search history with the account", async () => {
    const u = await createUser();
    await insertInto("search_queries", { user_id: u.id, query: "bjork", search_type: "track", result_count: 3 });
    await sql.query("DELETE FROM users WHERE id = $1", [u.id]);
    expect(await sql.query("SELECT 1 FROM search_queries WHERE user_id = $1", [u.id])).toHaveLength(0);
  });
});
