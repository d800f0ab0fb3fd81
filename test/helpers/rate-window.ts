/**
 * The per-user limiters (wrangler.toml [[ratelimits]], period 60 s) count in windows aligned to the
 * wall clock, under miniflare as on Cloudflare: a test that fills a window and expects the next
 * request refused fails whenever a minute boundary falls inside it, resetting the count half-way.
 * Such a test calls this first: when less than `room` ms of the current window is left, it waits
 * for the next window to begin.
 */
export async function freshRateWindow(room = 15_000, period = 60_000): Promise<void> {
  const left = period - (Date.now() % period);
  if (left < room) await new Promise((resolve) => setTimeout(resolve, left + 100));
}
