import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, jsonInit, roundTripMeter, roundTripsFor, setupCaller, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

/**
 * Issue 10's flags figures: database round trips of flag evaluation on the hot path (budget 0).
 * GET /v1/flags twice on ONE Worker whose database URL carries a tag the dev server counts by: the
 * first call reads the snapshot (and the viewer's auth state), the second finds both cached. Then
 * an admin's change on that same Worker, and the next read there: it sees the change with no round
 * trip (the write's own batch read the new snapshot). Admin writes and reads: budget 1 / 2.
 */
export async function flagsBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const rows: Row[] = [];
  try {
    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"));
    const call = setupCaller(setup);
    const login = async (identifier: string) => (await call("/v1/auth/login", jsonInit("POST", { identifier, password: DEMO_PASSWORD }))).session.accessToken as string;
    const [admin, listener] = [await login("veza_admin"), await login("sam_listens")];
    for (let i = 0; i < 20; i++) {
      await call("/v1/admin/flags", jsonInit("POST", { key: `bench.flag_${i}`, enabled: true, rollout_percent: i * 5, allowed_roles: i % 3 ? [] : ["premium"] }, admin));
    }
    await call("/v1/admin/configs", jsonInit("POST", { key: "uploads.max_track_minutes", value_type: "number", value: 60, is_public: true }, admin));
    await setup.dispose();

    const tag = "hot";
    const mf = workerInWorkerd(build.script, taggedUrl(server, tag));
    const trips = async () => (await roundTripsFor(server, tag)).requests;
    const get = async (path: string, init: RequestInit = {}) => {
      const before = await trips();
      const res = (await mf.dispatchFetch(`https://veza.bench${path}`, init as never)) as unknown as Response;
      if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return { body: (await res.json()) as Record<string, any>, roundTrips: (await trips()) - before };
    };
    try {
      const signedIn = { headers: { authorization: `Bearer ${listener}` } };
      const first = await get("/v1/flags", signedIn);
      rows.push({ area: "flags", metric: "GET /v1/flags, first call on a Worker (snapshot + auth state)", value: first.roundTrips, unit: "round trips", budget: "≤ 2", ok: first.roundTrips <= 2 });
      const second = await get("/v1/flags", signedIn);
      rows.push({ area: "flags", metric: "GET /v1/flags, second call on the same Worker (hot path)", value: second.roundTrips, unit: "round trips", budget: "0", ok: second.roundTrips === 0 });
      const anonymous = await get("/v1/flags");
      rows.push({ area: "flags", metric: "GET /v1/flags anonymous, same Worker (hot path)", value: anonymous.roundTrips, unit: "round trips", budget: "0", ok: anonymous.roundTrips === 0 });

      const adminInit = (method: string, body: unknown) => jsonInit(method, body, admin);
      await get("/v1/me", { headers: { authorization: `Bearer ${admin}` } });
      if (anonymous.body.flags.includes("bench.flag_1")) throw new Error("bench.flag_1 is on for anonymous visitors before the change");
      const change = await get("/v1/admin/flags/bench.flag_1", adminInit("PATCH", { rollout_percent: 100 }));
      rows.push({ area: "flags", metric: "PATCH /v1/admin/flags/:key (audited, reads the new snapshot)", value: change.roundTrips, unit: "round trips", budget: "≤ 2", ok: change.roundTrips <= 2 });
      const after = await get("/v1/flags");
      const seen = after.body.flags.includes("bench.flag_1");
      rows.push({ area: "flags", metric: "GET /v1/flags anonymous after that change (rollout to 100 %), same Worker", value: `${after.roundTrips} round trips, ${seen ? "seen" : "NOT seen"}`, budget: "0, seen", ok: after.roundTrips === 0 && seen });
    } finally {
      await mf.dispose();
    }

    const measure = roundTripMeter({ script: build.script, server, area: "flags", rows });
    await measure("admin-list", "GET /v1/admin/flags (from the database)", 1, "/v1/admin/flags", { headers: { authorization: `Bearer ${admin}` } });
  } finally {
    await server.close();
  }
  return rows;
}
