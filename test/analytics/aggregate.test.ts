import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJob } from "../../src/jobs/schedule";
import { createUser, sql } from "../helpers/db";
import { insertPlays, makeTrack, randomPastDay, runCron } from "./fixtures";

const at = (day: string, time: string) => `${day}T${time}Z`;
const nextDay = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function trackDay(track: string, day: string) {
  const rows = await sql.query(
    `SELECT plays, unique_listeners, total_listen_seconds::int AS total_listen_seconds, avg_completion::float8 AS avg_completion, source_counts, device_counts
       FROM track_analytics WHERE track_id = $1 AND day = $2`,
    [track, day],
  );
  return rows[0] ?? null;
}

async function metrics(day: string) {
  const rows = await sql.query("SELECT metric_name, dimension, value::float8 AS value FROM daily_metrics WHERE metric_date = $1 ORDER BY metric_name, dimension", [day]);
  return Object.fromEntries(rows.map((r) => [`${r.metric_name}|${r.dimension}`, r.value]));
}

async function snapshot(tracks: string[], day: string) {
  const ta = await sql.query("SELECT track_id, day::text, plays, unique_listeners, total_listen_seconds, avg_completion, source_counts, device_counts, updated_at FROM track_analytics WHERE track_id = ANY($1::uuid[]) ORDER BY track_id, day", [tracks]);
  const dm = await sql.query("SELECT metric_name, dimension, value, updated_at FROM daily_metrics WHERE metric_date = $1 ORDER BY metric_name, dimension", [day]);
  return { ta, dm };
}

describe("the aggregate-analytics job", () => {
  it("aggregates a day's plays into exact per-track counts and platform metrics, anonymised plays as plays but not listeners", async () => {
    const day = randomPastDay();
    const [creator, ana, ben] = await Promise.all([createUser(), createUser(), createUser()]);
    const [one, two] = [await makeTrack(creator.id, { genre: " Lo-Fi " }), await makeTrack(creator.id, { genre: null })];
    await sql.query("UPDATE users SET created_at = $2 WHERE id = $1", [ben.id, at(day, "08:00:00")]);
    await insertPlays([
      { track: one, user: ana.id, at: at(day, "00:00:00"), seconds: 100, completion: 50, source: "playlist", device: "mobile" },
      { track: one, user: ana.id, at: at(day, "10:00:00"), seconds: 200, completion: 100, source: "search", device: "desktop" },
      { track: one, user: ben.id, at: at(day, "12:00:00"), seconds: 60, completion: 30, source: null, device: "web" },
      { track: one, user: null, at: at(day, "23:59:59"), seconds: 40, completion: 20, source: "direct", device: null },
      // a skip (< 30 s): listened time, not a play
      { track: one, user: ben.id, at: at(day, "13:00:00"), seconds: 10, completion: 5, source: "album", device: "mobile" },
      // anonymised plays only: plays without listeners
      { track: two, user: null, at: at(day, "09:00:00"), seconds: 30, completion: 15, source: "album", device: "mobile" },
      { track: two, user: null, at: at(day, "09:30:00"), seconds: 31, completion: 16, source: "album", device: "mobile" },
      // the next day and the day before: other days
      { track: one, user: ana.id, at: at(nextDay(day), "00:00:00"), seconds: 100, completion: 50 },
      { track: one, user: ana.id, at: at(nextDay(day, -1), "23:59:59"), seconds: 100, completion: 50 },
    ]);

    await runCron("0 * * * *", new Date(at(nextDay(day), "05:00:00")));

    expect(await trackDay(one, day)).toEqual({
      plays: 4,
      unique_listeners: 2,
      total_listen_seconds: 410,
      avg_completion: 50,
      source_counts: { playlist: 1, album: 0, search: 1, direct: 1, unknown: 1 },
      device_counts: { mobile: 1, desktop: 1, web: 1, unknown: 1 },
    });
    expect(await trackDay(two, day)).toEqual({
      plays: 2,
      unique_listeners: 0,
      total_listen_seconds: 61,
      avg_completion: 15.5,
      source_counts: { playlist: 0, album: 2, search: 0, direct: 0, unknown: 0 },
      device_counts: { mobile: 2, desktop: 0, web: 0, unknown: 0 },
    });
    // the next day is "today" for a run in it: aggregated apart
    expect((await trackDay(one, nextDay(day)))?.plays).toBe(1);

    expect(await metrics(day)).toEqual({
      "plays|": 6,
      "plays|device:desktop": 1,
      "plays|device:mobile": 3,
      "plays|device:unknown": 1,
      "plays|device:web": 1,
      "plays|genre:lo-fi": 4,
      "plays|genre:unknown": 2,
      "plays|source:album": 2,
      "plays|source:direct": 1,
      "plays|source:playlist": 1,
      "plays|source:search": 1,
      "plays|source:unknown": 1,
      "unique_listeners|": 2,
      "listen_seconds|": 471,
      "signups|": 1,
      "new_tracks|": 0,
      "new_posts|": 0,
      "new_playlists|": 0,
      // aggregated more than an hour after it ended: complete
      "aggregation.final|": 1,
    });

    // Twice: nothing changes, not even updated_at.
    const before = await snapshot([one, two], day);
    await runJob("aggregate-analytics", env, new Date(at(nextDay(day), "05:00:00")));
    expect(await snapshot([one, two], day)).toEqual(before);
  });

  it("recomputes today and yesterday on every run, follows the clock, and removes rows whose plays are gone", async () => {
    const day = randomPastDay();
    const [creator, ana] = await Promise.all([createUser(), createUser()]);
    const track = await makeTrack(creator.id);
    await insertPlays([{ track, user: ana.id, at: at(day, "10:00:00"), seconds: 100, completion: 50 }]);
    await runJob("aggregate-analytics", env, new Date(at(day, "11:00:00")));
    expect((await trackDay(track, day))?.plays).toBe(1);

    // A later play the same day, and the account of the listener deleted (its history goes with it):
    await insertPlays([{ track, user: null, at: at(day, "23:00:00"), seconds: 100, completion: 50 }]);
    await runJob("aggregate-analytics", env, new Date(at(nextDay(day), "00:00:00")));
    expect(await trackDay(track, day)).toMatchObject({ plays: 2, unique_listeners: 1 });
    await sql.query("DELETE FROM users WHERE id = $1", [ana.id]);
    await runJob("aggregate-analytics", env, new Date(at(nextDay(day), "00:30:00")));
    expect(await trackDay(track, day)).toMatchObject({ plays: 1, unique_listeners: 0 });
    await sql.query("DELETE FROM playback_history WHERE track_id = $1", [track]);

    // Final once aggregated more than an hour after the day ended: no longer recomputed.
    await runJob("aggregate-analytics", env, new Date(at(nextDay(day), "02:00:00")));
    expect(await trackDay(track, day)).toBeNull();
    const state = await sql.query("SELECT value::int AS value FROM daily_metrics WHERE metric_date = $1 AND metric_name = 'aggregation.final'", [day]);
    expect(state).toEqual([{ value: 1 }]);
    await insertPlays([{ track, user: null, at: at(day, "12:00:00"), seconds: 100, completion: 50 }]);
    await runJob("aggregate-analytics", env, new Date(at(nextDay(day, 2), "02:00:00")));
    expect(await trackDay(track, day)).toBeNull();
  });

  it("catches up missed days a few per run, oldest first, and continues on the next run", async () => {
    const day = randomPastDay();
    const creator = await createUser();
    const track = await makeTrack(creator.id);
    // A play on each of the 12 days before `day`; the cron was down all along.
    await insertPlays(Array.from({ length: 12 }, (_, i) => ({ track, user: null, at: at(nextDay(day, -12 + i), "12:00:00"), seconds: 60, completion: 30 })));
    const aggregated = async () =>
      (await sql.query("SELECT day::text AS day FROM track_analytics WHERE track_id = $1 ORDER BY day", [track])).map((r) => r.day as string);

    const first = await runJob("aggregate-analytics", env, new Date(at(day, "03:00:00")));
    expect(first.days).toBe(7);
    // yesterday, and the five oldest days of the window (the window reaches 31 days back)
    expect(await aggregated()).toEqual([nextDay(day, -1)]);
    for (let run = 0; run < 6; run++) await runJob("aggregate-analytics", env, new Date(at(day, "03:00:00")));
    expect(await aggregated()).toEqual(Array.from({ length: 12 }, (_, i) => nextDay(day, -12 + i)));
    const pending = await sql.query(
      "SELECT count(*)::int AS n FROM generate_series($1::date - 31, $1::date - 2, '1 day') d WHERE NOT EXISTS (SELECT 1 FROM daily_metrics m WHERE m.metric_date = d::date AND m.metric_name = 'aggregation.final')",
      [day],
    );
    expect(pending).toEqual([{ n: 0 }]);
  });
});
