import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJob } from "../../src/jobs/schedule";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { createUser, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, insertPlays, makeTrack, softDeleteUser } from "./fixtures";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A creator with two tracks played on two recent days by known listeners, aggregated by the job. */
async function playedCatalogue() {
  const creator = await signedInUser();
  const listeners = await Promise.all([createUser(), createUser(), createUser()]);
  const hit = await makeTrack(creator.id, { title: "A hit" });
  const quiet = await makeTrack(creator.id, { title: "Quiet one", visibility: "private" });
  const today = dayOf(Date.now());
  const twoDaysAgo = dayOf(Date.now() - 2 * DAY_MS);
  const at = (day: string) => `${day}T00:30:00Z`;
  await insertPlays([
    { track: hit, user: listeners[0]!.id, at: at(twoDaysAgo), seconds: 100, completion: 50, source: "playlist", device: "mobile" },
    { track: hit, user: listeners[1]!.id, at: at(twoDaysAgo), seconds: 200, completion: 100, source: "search", device: "web" },
    { track: hit, user: null, at: at(twoDaysAgo), seconds: 60, completion: 30 },
    { track: hit, user: listeners[2]!.id, at: at(today), seconds: 40, completion: 20, source: "direct", device: "desktop" },
    { track: quiet, user: listeners[0]!.id, at: at(today), seconds: 50, completion: 25, source: "album", device: "mobile" },
  ]);
  // Today's run aggregates today and yesterday; the run of the day after two days ago, that day.
  await runJob("aggregate-analytics", env, new Date(Date.parse(`${dayOf(Date.now() - DAY_MS)}T12:00:00Z`)));
  await runJob("aggregate-analytics", env, new Date());
  return { creator, listeners, hit, quiet, today, twoDaysAgo };
}

const get = (path: string, user: SignedInUser | null) => api("GET", path, { headers: user?.headers ?? {} });

describe("GET /v1/me/analytics/tracks/:id", () => {
  it("gives the creator a zero-filled daily series and totals, with no listener id anywhere", async () => {
    const { creator, listeners, hit, today, twoDaysAgo } = await playedCatalogue();
    const from = dayOf(Date.parse(today) - 3 * DAY_MS);
    const res = await get(`/v1/me/analytics/tracks/${hit}?from=${from}&to=${today}`, creator);
    expect(res.status).toBe(200);
    expect(res.body.track).toEqual({ id: hit, title: "A hit", visibility: "public" });
    expect(res.body.period).toEqual({ from, to: today });
    expect(res.body.days.map((d: { day: string }) => d.day)).toEqual([0, 1, 2, 3].map((i) => dayOf(Date.parse(from) + i * DAY_MS)));
    expect(res.body.days.find((d: { day: string }) => d.day === twoDaysAgo)).toEqual({
      day: twoDaysAgo, plays: 3, unique_listeners: 2, listen_seconds: 360, avg_completion: 60,
    });
    expect(res.body.days[0]).toEqual({ day: from, plays: 0, unique_listeners: 0, listen_seconds: 0, avg_completion: 0 });
    expect(res.body.totals).toEqual({
      plays: 4,
      unique_listeners: 3,
      listen_seconds: 400,
      avg_completion: 50,
      sources: { playlist: 1, album: 0, search: 1, direct: 1, unknown: 1 },
      devices: { mobile: 1, desktop: 1, web: 1, unknown: 1 },
    });
    for (const listener of listeners) expect(res.text).not.toContain(listener.id);

    // The default period is the last 28 days, today included.
    const defaults = await get(`/v1/me/analytics/tracks/${hit}`, creator);
    expect(defaults.body.days).toHaveLength(28);
    expect(defaults.body.period.to).toBe(today);
    expect(defaults.body.totals.plays).toBe(4);
  });

  it("is 404 for anyone but the creator, 401 anonymously, 403 banned and 401 deleted", async () => {
    const { hit, quiet } = await playedCatalogue();
    const other = await signedInUser();
    expect((await get(`/v1/me/analytics/tracks/${hit}`, other)).status).toBe(404);
    expect((await get(`/v1/me/analytics/tracks/${quiet}`, other)).status).toBe(404);
    expect((await get(`/v1/me/analytics/tracks/${hit}`, null)).status).toBe(401);

    const banned = await playedCatalogue();
    await banUser(banned.creator.id);
    expect((await get(`/v1/me/analytics/tracks/${banned.hit}`, banned.creator)).status).toBe(403);
    const deleted = await playedCatalogue();
    await softDeleteUser(deleted.creator.id);
    expect((await get(`/v1/me/analytics/tracks/${deleted.hit}`, deleted.creator)).status).toBe(401);
  });

  it("refuses bad periods and ids with 422, and a deleted track with 404", async () => {
    const { creator, hit } = await playedCatalogue();
    for (const query of ["from=2026-02-30", "from=yesterday", "from=2026-03-02&to=2026-03-01", "from=2024-01-01&to=2025-01-02"]) {
      const res = await get(`/v1/me/analytics/tracks/${hit}?${query}`, creator);
      expect(res.status, query).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await get(`/v1/me/analytics/tracks/${hit}?from=2024-01-01&to=2024-12-31`, creator)).status).toBe(200);
    expect((await get("/v1/me/analytics/tracks/not-a-uuid", creator)).status).toBe(422);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [hit]);
    expect((await get(`/v1/me/analytics/tracks/${hit}`, creator)).status).toBe(404);
  });
});

describe("GET /v1/me/analytics/overview", () => {
  it("sums all my tracks per day and ranks my top tracks, without listener ids", async () => {
    const { creator, listeners, hit, quiet, today } = await playedCatalogue();
    const res = await get(`/v1/me/analytics/overview?from=${dayOf(Date.parse(today) - 6 * DAY_MS)}&to=${today}`, creator);
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(7);
    expect(res.body.days[6]).toEqual({ day: today, plays: 2, unique_listeners: 2, listen_seconds: 90, avg_completion: 22.5 });
    expect(res.body.totals).toMatchObject({ plays: 5, unique_listeners: 4, listen_seconds: 450, sources: { album: 1 }, devices: { mobile: 2 } });
    expect(res.body.top_tracks).toEqual([
      { id: hit, title: "A hit", plays: 4, listen_seconds: 400 },
      { id: quiet, title: "Quiet one", plays: 1, listen_seconds: 50 },
    ]);
    for (const listener of listeners) expect(res.text).not.toContain(listener.id);

    // Someone else's overview holds none of it.
    const other = await signedInUser();
    const theirs = await get("/v1/me/analytics/overview", other);
    expect(theirs.body.totals.plays).toBe(0);
    expect(theirs.body.top_tracks).toEqual([]);
    expect((await get("/v1/me/analytics/overview", null)).status).toBe(401);
  });

  it("answers both reads in one round trip", async () => {
    const { creator, hit } = await playedCatalogue();
    expect((await get("/v1/me", creator)).status).toBe(200); // warms the auth state cache
    for (const path of [`/v1/me/analytics/tracks/${hit}`, "/v1/me/analytics/overview"]) {
      const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { headers: creator.headers }));
      expect(response.status).toBe(200);
      expect(roundTrips).toBe(1);
    }
  });
});
