import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, jsonInit, percentile, roundTripMeter, setupCaller, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

const seedId = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
const COURSE = { slug: "ambient-cello-from-scratch", id: seedId(901), startedLesson: seedId(913) };

/**
 * Issue 9's figures (courses): database round trips of the course page with its lessons and the
 * viewer's progress (budget 1), of the catalogue and of a progress write (budget 2), each measured
 * on a Worker of its own whose database URL carries a tag the dev server counts by (signed-in calls
 * after one warm-up request, so the auth state is cached as on a warm isolate). For information, the
 * page's wall time on this machine (p50 / p95 over 100, local PGlite through the dev server).
 */
export async function coursesBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const rows: Row[] = [];
  try {
    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"));
    const call = setupCaller(setup);
    const learner = (await call("/v1/auth/login", jsonInit("POST", { identifier: "sam_listens", password: DEMO_PASSWORD }))).session.accessToken as string;

    const measure = roundTripMeter({ script: build.script, server, area: "courses", rows });

    const signedIn = { headers: { authorization: `Bearer ${learner}` } };
    const page = await measure("page", "GET /v1/courses/:slug (course page, lessons, my progress)", 1, `/v1/courses/${COURSE.slug}`, signedIn);
    if (!page.viewer?.enrollment || !page.lessons?.some((l: { my_progress: unknown }) => l.my_progress)) throw new Error(`the page lacks the learner's progress: ${JSON.stringify(page.viewer)}`);
    await measure("page-anon", "GET /v1/courses/:slug (course page, anonymous)", 1, `/v1/courses/${COURSE.slug}`);
    await measure("catalogue", "GET /v1/courses?level=beginner&q=cello", 1, "/v1/courses?level=beginner&q=cello");
    await measure("mine", "GET /v1/me/courses", 1, "/v1/me/courses", signedIn);
    await measure("progress", "PUT /v1/courses/:id/lessons/:lessonId/progress", 2, `/v1/courses/${COURSE.id}/lessons/${COURSE.startedLesson}/progress`, jsonInit("PUT", { position_seconds: 42 }, learner));

    const times: number[] = [];
    for (let i = 0; i < 110; i++) {
      const t0 = performance.now();
      const res = (await setup.dispatchFetch(`https://veza.bench/v1/courses/${COURSE.slug}`, signedIn)) as unknown as Response;
      await res.arrayBuffer();
      if (i >= 10) times.push(performance.now() - t0);
    }
    rows.push({ area: "courses", metric: "GET /v1/courses/:slug signed in, p50 / p95 over 100 (local PGlite)", value: `${percentile(times, 50).toFixed(2)} / ${percentile(times, 95).toFixed(2)} ms`, budget: "—" });
    await setup.dispose();
  } finally {
    await server.close();
  }
  return rows;
}
