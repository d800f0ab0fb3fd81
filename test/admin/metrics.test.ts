import { describe, expect, it } from "vitest";
import { sql, unique } from "../helpers/db";
import { as, signedInAdmin, withQuery } from "./fixtures";

async function metric(name: string, day: string, value: number, dimension = "") {
  await sql.query("INSERT INTO daily_metrics (metric_date, metric_name, dimension, value) VALUES ($1, $2, $3, $4)", [day, name, dimension, value]);
}

describe("GET /v1/admin/metrics", () => {
  it("answers one series per metric over the range, days in order, totals by default", async () => {
    const admin = await signedInAdmin();
    const plays = `plays_${unique()}`;
    const signups = `signups_${unique()}`;
    await metric(plays, "2026-03-02", 120);
    await metric(plays, "2026-03-01", 100);
    await metric(plays, "2026-03-01", 40, "rock");
    await metric(plays, "2026-02-28", 5); // before the range
    await metric(signups, "2026-03-03", 7.5);
    const res = await as(admin, "GET", withQuery("/v1/admin/metrics", { from: "2026-03-01", to: "2026-03-31", metric: `${signups},${plays}` }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      series: [
        { metric: plays, dimension: "", points: [{ date: "2026-03-01", value: 100 }, { date: "2026-03-02", value: 120 }] },
        { metric: signups, dimension: "", points: [{ date: "2026-03-03", value: 7.5 }] },
      ].sort((a, b) => (a.metric < b.metric ? -1 : 1)),
    });
    const rock = await as(admin, "GET", withQuery("/v1/admin/metrics", { from: "2026-03-01", to: "2026-03-31", metric: plays, dimension: "rock" }));
    expect(rock.body.series).toEqual([{ metric: plays, dimension: "rock", points: [{ date: "2026-03-01", value: 40 }] }]);
    const every = await as(admin, "GET", withQuery("/v1/admin/metrics", { from: "2026-03-01", to: "2026-03-01", metric: plays, dimension: "*" }));
    expect(every.body.series.map((s: { dimension: string }) => s.dimension)).toEqual(["", "rock"]);
  });

  it("defaults to the last 30 days up to today", async () => {
    const admin = await signedInAdmin();
    const name = `uploads_${unique()}`;
    const today = new Date().toISOString().slice(0, 10);
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    await metric(name, today, 3);
    await metric(name, day(29), 2);
    await metric(name, day(30), 1);
    const res = await as(admin, "GET", withQuery("/v1/admin/metrics", { metric: name }));
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(today);
    expect(res.body.from).toBe(day(29));
    expect(res.body.series).toEqual([{ metric: name, dimension: "", points: [{ date: day(29), value: 2 }, { date: today, value: 3 }] }]);
  });

  it("answers 422 for a reversed or too long range and bad names", async () => {
    const admin = await signedInAdmin();
    for (const [params, path] of [
      [{ from: "2026-03-02", to: "2026-03-01" }, "query.to"],
      [{ from: "2024-01-01", to: "2026-03-01" }, "query.from"],
      [{ from: "2026-02-30" }, "query.from"],
      [{ metric: "Plays; DROP" }, "query.metric"],
    ] as const) {
      const res = await as(admin, "GET", withQuery("/v1/admin/metrics", params));
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });
});
