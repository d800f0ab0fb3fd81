import { performance } from "node:perf_hooks";
import { buildWorker, median, roundTripsFor, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

/**
 * The accounts issue's figures: database round trips per call for login, refresh, GET /v1/me and
 * GET /v1/users/:username (reads 1, writes ≤ 2 besides the login-attempt record), and the time of
 * a login, which bcrypt (cost 12) makes CPU-bound: on an idle machine its wall time is its CPU time.
 */
export async function accountsBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const json = (body: unknown, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "veza-bench/1.0", ...headers },
    body: JSON.stringify(body),
  });
  try {
    // A worker instance per measured call, each with its own tag in DATABASE_URL, so the dev
    // server's per-tag counters hold exactly that call's round trips.
    const measured = async (tag: string, run: (fetch: (path: string, init?: RequestInit) => Promise<Response>) => Promise<void>) => {
      const mf = workerInWorkerd(build.script, taggedUrl(server, tag));
      try {
        await run((path, init) => mf.dispatchFetch(`https://veza.bench${path}`, init as never) as unknown as Promise<Response>);
      } finally {
        await mf.dispose();
      }
    };

    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"));
    const username = `bench_${Date.now().toString(36)}`;
    const password = "correct horse battery staple";
    const reg = await setup.dispatchFetch("https://veza.bench/v1/auth/register", json({ email: `${username}@example.com`, username, password, data_processing_consent: true }) as never);
    if (reg.status !== 201) throw new Error(`register answered ${reg.status}: ${await reg.text()}`);
    await setup.dispose();

    let session: { accessToken: string; refreshToken: string } | undefined;
    const loginTimes: number[] = [];
    await measured("login", async (fetch) => {
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await fetch("/v1/auth/login", json({ identifier: username, password }));
        loginTimes.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
        session = ((await res.json()) as { session: typeof session }).session;
      }
    });
    const login = await roundTripsFor(server, "login");
    rows.push({ area: "accounts", metric: "round trips: POST /v1/auth/login (incl. the login-attempt record)", value: login.requests / 5, unit: "per call", budget: "≤ 2 + 1", ok: login.requests / 5 <= 3 });
    rows.push({ area: "accounts", metric: "login time, bcrypt cost 12 (workerd, median of 5)", value: median(loginTimes), unit: "ms" });

    await measured("refresh", async (fetch) => {
      const res = await fetch("/v1/auth/refresh", json({ refresh_token: session!.refreshToken }));
      if (res.status !== 200) throw new Error(`refresh answered ${res.status}: ${await res.text()}`);
      session = ((await res.json()) as { session: typeof session }).session;
    });
    const refresh = await roundTripsFor(server, "refresh");
    rows.push({ area: "accounts", metric: "round trips: POST /v1/auth/refresh", value: refresh.requests, unit: "per call", budget: "≤ 2", ok: refresh.requests <= 2 });

    const auth = () => ({ headers: { authorization: `Bearer ${session!.accessToken}` } });
    // Warm the auth-state cache first: the hot path is what the budget is about.
    let meWarm = 0;
    await measured("me", async (fetch) => {
      await (await fetch("/v1/me", auth())).arrayBuffer();
      meWarm = (await roundTripsFor(server, "me")).requests;
      for (let i = 0; i < 10; i++) {
        const res = await fetch("/v1/me", auth());
        if (res.status !== 200) throw new Error(`/v1/me answered ${res.status}`);
        await res.arrayBuffer();
      }
    });
    const me = (await roundTripsFor(server, "me")).requests - meWarm;
    rows.push({ area: "accounts", metric: "round trips: GET /v1/me (auth state cached)", value: me / 10, unit: "per call", budget: "1", ok: me / 10 <= 1 });

    await measured("profile", async (fetch) => {
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`/v1/users/${username}`);
        if (res.status !== 200) throw new Error(`/v1/users/:username answered ${res.status}`);
        await res.arrayBuffer();
      }
    });
    const profile = (await roundTripsFor(server, "profile")).requests;
    rows.push({ area: "accounts", metric: "round trips: GET /v1/users/:username", value: profile / 10, unit: "per call", budget: "1", ok: profile / 10 <= 1 });
  } finally {
    await server.close();
  }
  return rows;
}
