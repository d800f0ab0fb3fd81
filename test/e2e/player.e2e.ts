import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { PHONE, SCREENSHOTS, shot, unique, useBrowser } from "./browser";
import { apiJson, registerUser, signIn, toneWav, uploadFile, waitUntilReady, type ReadyTrack, type TestUser } from "./support";

/**
 * The persistent player and the live queue: a listener plays a track from its page (hls.js, loaded
 * on that first play), sees currentTime advance, seeks with the slider, sets the volume (remembered,
 * scaled by the track's loudness normalisation) and mutes; a second tab of the same account sees
 * the queue and pauses the first one remotely; queue changes made in either tab (add, reorder,
 * remove) show in the other; a finished listen is recorded as a play; next/previous from the bar;
 * and a visitor who is not signed in plays with a queue of their own tab.
 */

const browser = useBrowser();

const audioState = (page: Page) =>
  page.evaluate(() => {
    const a = document.getElementById("veza-audio") as HTMLAudioElement | null;
    return a ? { currentTime: a.currentTime, paused: a.paused, volume: a.volume, muted: a.muted, src: a.src } : null;
  });

/** Waits until the player's <audio> is past `after` s (and before `before`), playing or paused as asked. */
async function waitForAudio(page: Page, want: { after?: number; before?: number; paused?: boolean }, timeout = 30_000) {
  await page.waitForFunction(
    ({ after, before, paused }) => {
      const a = document.getElementById("veza-audio") as HTMLAudioElement | null;
      if (!a) return false;
      if (after !== undefined && !(a.currentTime > after)) return false;
      if (before !== undefined && !(a.currentTime < before)) return false;
      return paused === undefined || a.paused === paused;
    },
    want,
    { timeout },
  );
}

/** The queue panel's titles, in order. */
async function queueTitles(panel: Locator): Promise<string[]> {
  return panel.locator(".queue-title").allTextContents();
}

async function openQueue(page: Page): Promise<Locator> {
  const toggle = page.locator("#player .player-queue-toggle");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  const panel = page.getByRole("region", { name: "Queue" });
  await panel.waitFor({ state: "visible" });
  return panel;
}

async function expectTitles(panel: Locator, titles: string[]) {
  await expect.poll(() => queueTitles(panel), { timeout: 15_000 }).toEqual(titles);
}

/** A public track of generated audio, processed (the machine may be busy: a generous wait). */
async function processedTrack(user: TestUser, title: string, seconds: number): Promise<ReadyTrack> {
  const fileId = await uploadFile(user.token, `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.wav`, toneWav(seconds, 200 + Math.floor(Math.random() * 200)));
  const created = await apiJson<{ id: string }>("/v1/tracks", { method: "POST", token: user.token, body: { file_id: fileId, title, visibility: "public" } });
  return { ...(await waitUntilReady(user.token, created.id, 240_000)), title };
}

describe("the player and the live queue", () => {
  let user: TestUser;
  let first: ReadyTrack;
  let second: ReadyTrack;

  beforeAll(async () => {
    user = await registerUser("plyr");
    [first, second] = await Promise.all([processedTrack(user, `First ${unique("t")}`, 18), processedTrack(user, `Second ${unique("t")}`, 10)]);
  });

  it("plays a track from its page, seeks, sets the volume, and syncs the queue with another tab", async () => {
    const loudness = await apiJson<{ loudness: { replay_gain_db: number | null } }>(`/v1/tracks/${first.id}`, { token: user.token });

    const page = await browser.newPage();
    await signIn(page, user, `/tracks/${first.id}`);
    await page.getByRole("heading", { level: 1, name: first.title }).waitFor({ timeout: 30_000 });
    // hls.js is not part of the shell: nothing of it before the first play.
    const scriptsBefore = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name).filter((n) => /hls/i.test(n)));
    expect(scriptsBefore).toEqual([]);

    await page.getByRole("button", { name: `Play ${first.title}` }).click();
    await waitForAudio(page, { after: 1.5, paused: false });
    const playing = await audioState(page);
    // Chromium plays HLS through hls.js (Media Source Extensions: a blob: source), loaded on demand.
    expect(playing!.src).toMatch(/^blob:/);
    expect(await page.evaluate(() => performance.getEntriesByType("resource").some((r) => /hls\.light/.test(r.name)))).toBe(true);
    const t0 = playing!.currentTime;
    await page.waitForTimeout(1200);
    expect((await audioState(page))!.currentTime).toBeGreaterThan(t0 + 0.5);
    const marks = await page.evaluate(() => ["veza:play-requested", "veza:audio-playing"].map((n) => performance.getEntriesByName(n, "mark").length));
    expect(marks[0]).toBeGreaterThanOrEqual(1);
    expect(marks[1]).toBe(1);

    const bar = page.locator("#player");
    await expect.poll(() => bar.locator(".player-title").textContent()).toBe(first.title);
    expect(await bar.locator(".player-title").getAttribute("href")).toBe(`/tracks/${first.id}`);
    await bar.getByRole("button", { name: "Pause", exact: true }).waitFor();

    // Seek: the slider (12 s), then the keyboard's 5 s step.
    const seekSlider = bar.getByRole("slider", { name: "Seek" });
    await seekSlider.fill("12");
    await waitForAudio(page, { after: 11.5, before: 16 });
    expect(await seekSlider.getAttribute("aria-valuetext")).toMatch(/^0:1\d of 0:1[78]$/);
    await seekSlider.focus();
    const beforeKey = (await audioState(page))!.currentTime;
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await waitForAudio(page, { before: beforeKey - 7 });
    await waitForAudio(page, { paused: false, after: 0 });

    // Volume: 40 %, scaled by the track's loudness normalisation (attenuation only), remembered.
    const gain = loudness.loudness.replay_gain_db;
    const factor = gain === null ? 1 : Math.min(1, 10 ** (gain / 20));
    await bar.getByRole("slider", { name: "Volume" }).fill("40");
    await expect.poll(async () => (await audioState(page))!.volume).toBeCloseTo(0.4 * factor, 2);
    expect(await page.evaluate(() => localStorage.getItem("veza.player.volume"))).toBe("0.4");
    await bar.getByRole("button", { name: "Mute" }).click();
    await expect.poll(async () => (await audioState(page))!.muted).toBe(true);
    expect(await bar.getByRole("button", { name: "Mute" }).getAttribute("aria-pressed")).toBe("true");
    await bar.getByRole("button", { name: "Mute" }).click();
    await expect.poll(async () => (await audioState(page))!.muted).toBe(false);

    // The queue panel: the track being played, and the normalisation switch.
    const panel = await openQueue(page);
    await expectTitles(panel, [first.title]);
    await panel.getByRole("checkbox", { name: "Even out loudness" }).uncheck();
    await expect.poll(async () => (await audioState(page))!.volume).toBeCloseTo(0.4, 2);
    await panel.getByRole("checkbox", { name: "Even out loudness" }).check();
    await shot(page, "player-queue-desktop");
    await bar.screenshot({ path: `${SCREENSHOTS}player-bar.png` });

    // A second tab of the same account: the same queue, shown as playing elsewhere.
    const tab = await browser.newTab(page);
    await tab.goto(`/tracks/${second.id}`);
    await tab.getByRole("heading", { level: 1, name: second.title }).waitFor({ timeout: 30_000 });
    const tabBar = tab.locator("#player");
    await expect.poll(() => tabBar.locator(".player-title").textContent(), { timeout: 15_000 }).toBe(first.title);
    await tabBar.getByText("Playing on another tab or device").waitFor();
    const tabPanel = await openQueue(tab);
    await expectTitles(tabPanel, [first.title]);

    // Added in the second tab: shows in the first.
    await tab.getByRole("button", { name: "Add to queue" }).click();
    await expectTitles(tabPanel, [first.title, second.title]);
    await expectTitles(panel, [first.title, second.title]);

    // Reordered in the first (keyboard): shows in the second.
    await panel.getByRole("button", { name: `Move ${second.title} up` }).focus();
    await page.keyboard.press("Enter");
    await expectTitles(panel, [second.title, first.title]);
    await expectTitles(tabPanel, [second.title, first.title]);
    // Focus stays with the moved track's controls.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest("[data-item]")?.querySelector(".queue-title")?.textContent)).toBe(second.title);
    await shot(tab, "player-queue-second-tab");

    // Paused from the second tab: the first one stops.
    await tabBar.getByRole("button", { name: "Pause", exact: true }).click();
    await waitForAudio(page, { paused: true }, 15_000);
    await bar.getByRole("button", { name: "Play", exact: true }).waitFor();

    // Removed in the second tab: gone from the first.
    await tabPanel.getByRole("button", { name: `Remove ${second.title} from the queue` }).click();
    await expectTitles(tabPanel, [first.title]);
    await expectTitles(panel, [first.title]);
  });

  it("records a play, moves with next/previous, and works on a phone-sized screen", async () => {
    // The queue as another device left it: the first track, paused.
    const before = await apiJson<{ version: number }>("/v1/me/queue", { token: user.token });
    await apiJson("/v1/me/queue", { method: "PUT", token: user.token, body: { version: before.version, track_ids: [first.id], is_playing: false } });
    const page = await browser.newPage(PHONE);
    await signIn(page, user, "/");
    const bar = page.locator("#player");
    // The queue is loaded over the socket.
    await expect.poll(() => bar.locator(".player-title").textContent(), { timeout: 20_000 }).toBe(first.title);
    const panel = await openQueue(page);
    await expectTitles(panel, [first.title]);

    // Add the second track through the API (another device): it appears here.
    const state = await apiJson<{ version: number }>("/v1/me/queue", { token: user.token });
    await apiJson("/v1/me/queue/items", { method: "POST", token: user.token, body: { version: state.version, track_ids: [second.id] } });
    await expectTitles(panel, [first.title, second.title]);

    // Play the first from its start in the panel, listen a little, then skip to the next.
    await panel.getByRole("button", { name: `Play ${first.title}` }).click();
    await waitForAudio(page, { after: 2.2, paused: false });
    await bar.getByRole("button", { name: "Next track" }).click();
    await expect.poll(() => bar.locator(".player-title").textContent(), { timeout: 15_000 }).toBe(second.title);
    await waitForAudio(page, { after: 1, paused: false });
    await shot(page, "player-phone");

    // The listen of the first track was reported when the next one started.
    await expect
      .poll(
        async () => {
          const history = await apiJson<{ items: { track: { id: string }; played_duration: number; device_type: string | null }[] }>("/v1/me/history", { token: user.token });
          return history.items.find((p) => p.track.id === first.id && p.played_duration >= 2 && p.device_type === "web") !== undefined;
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    // Previous, within the first 3 seconds (back to the start first): the first track again.
    await bar.getByRole("slider", { name: "Seek" }).fill("0");
    await page.waitForTimeout(500);
    await bar.getByRole("button", { name: "Previous track" }).click();
    await expect.poll(() => bar.locator(".player-title").textContent(), { timeout: 15_000 }).toBe(first.title);
    await waitForAudio(page, { after: 0.5, paused: false });

    // Clear the queue: the player stops.
    await panel.getByRole("button", { name: "Clear…" }).click();
    await panel.getByRole("button", { name: "Clear queue" }).click();
    await panel.getByText("Your queue is empty.").waitFor();
    await waitForAudio(page, { paused: true });
    await bar.getByText("Nothing playing").waitFor();
    // Escape inside the panel closes it and gives focus back to its toggle.
    await panel.getByRole("button", { name: "Clear…" }).or(panel.getByRole("heading", { name: "Queue" })).first().focus();
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.classList.contains("player-queue-toggle"))).toBe(true);
  });

  it("plays for a visitor who is not signed in, with a queue kept in the tab", async () => {
    const page = await browser.newPage();
    await page.goto(`/tracks/${second.id}`);
    await page.getByRole("heading", { level: 1, name: second.title }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: `Play ${second.title}` }).click();
    await waitForAudio(page, { after: 1, paused: false });
    const panel = await openQueue(page);
    await panel.getByText("This tab only (sign in to sync)").waitFor();
    await expectTitles(panel, [second.title]);
    // Pause from the bar, then play on from where it was.
    const bar = page.locator("#player");
    await bar.getByRole("button", { name: "Pause", exact: true }).click();
    await waitForAudio(page, { paused: true });
    const at = (await audioState(page))!.currentTime;
    await bar.getByRole("button", { name: "Play", exact: true }).click();
    await waitForAudio(page, { after: at + 0.3, paused: false });
  });
});
