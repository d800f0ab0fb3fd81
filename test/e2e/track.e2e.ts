import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, shot, unique, useBrowser } from "./browser";
import { apiJson, readyTrack, registerUser, signIn, toneWav, uploadFile, type TestUser } from "./support";

/**
 * The track page and the user page: a listener opens another person's track, sees its waveform
 * drawn, likes it, plays it and comments at the moment playing, sees the comment's marker where
 * it belongs along the waveform (and still there after a reload), then follows the creator from
 * their profile. Plus a track still being processed turning into the full page by itself.
 */

const browser = useBrowser();

interface TimedComment {
  id: string;
  content: string;
  timestamp_seconds: number | null;
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor({ state: "visible", timeout: 30_000 });
}

/** How many of the canvas's pixels are painted (not fully transparent), and its backing-store size. */
async function canvasInk(page: Page) {
  return page.locator("canvas.waveform-canvas").evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext("2d")!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return { painted, total: canvas.width * canvas.height, width: canvas.width, cssWidth: canvas.getBoundingClientRect().width, ratio: devicePixelRatio };
  });
}

/** The horizontal centre of each timed-comment marker, as a percentage of the waveform's width. */
async function markerPercents(page: Page): Promise<{ id: string; pct: number }[]> {
  return page.evaluate(() => {
    const strip = document.querySelector(".waveform-markers")!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>(".waveform-marker")].map((m) => {
      const r = m.getBoundingClientRect();
      return { id: m.dataset.commentId!, pct: ((r.left + r.width / 2 - strip.left) / strip.width) * 100 };
    });
  });
}

async function sliderSeconds(page: Page): Promise<number> {
  return Number(await page.locator(".waveform-slider").getAttribute("aria-valuenow"));
}

describe("the track page", () => {
  it("draws the waveform, likes, comments at the playback position, and follows the creator", async () => {
    const creator = await registerUser("trk_a");
    const listener = await registerUser("trk_b");
    const track = await readyTrack(creator, `Tone ${unique("t")}`, 24);
    const seconds = track.duration_ms / 1000;
    // The creator's profile has a public playlist and a post; the listener a playlist of their own.
    const shelf = await apiJson<{ id: string }>("/v1/playlists", { method: "POST", token: creator.token, body: { name: "Tones I made" } });
    await apiJson(`/v1/playlists/${shelf.id}/tracks`, { method: "POST", token: creator.token, body: { track_id: track.id } });
    await apiJson("/v1/posts", { method: "POST", token: creator.token, body: { content: "New tone out now #tones" } });
    const mine = await apiJson<{ id: string }>("/v1/playlists", { method: "POST", token: listener.token, body: { name: "Night listening", visibility: "private" } });

    const page = await browser.newPage();
    await signIn(page, listener, `/tracks/${track.id}`);
    await heading(page, track.title);
    await page.getByRole("link", { name: `@${creator.username}` }).first().waitFor();

    // The waveform is drawn: the page marks it, and the canvas has ink, at the screen's resolution.
    await page.waitForFunction(() => performance.getEntriesByName("veza:track-rendered").length === 1, null, { timeout: 20_000 });
    const ink = await canvasInk(page);
    expect(ink.painted).toBeGreaterThan(ink.total * 0.05);
    expect(ink.painted).toBeLessThan(ink.total);
    expect(Math.abs(ink.width - Math.round(ink.cssWidth * ink.ratio))).toBeLessThanOrEqual(1);
    await shot(page, "track-light");

    // Like it: the button says so, the count moves, and the API agrees.
    await page.getByRole("button", { name: "Like", exact: true }).click();
    await page.getByRole("button", { name: "Liked", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Liked", exact: true }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("list", { name: "Counts" }).getByText("1 like", { exact: false }).waitFor();
    const liked = await apiJson<{ track_id: string; liked: boolean }[]>(`/v1/me/likes/contains?track_ids=${track.id}`, { token: listener.token });
    expect(liked).toEqual([{ track_id: track.id, liked: true }]);

    // Add it to one of my playlists, from the picker.
    await page.getByRole("button", { name: "Add to playlist" }).click();
    await page.getByRole("button", { name: "Add to Night listening" }).click();
    await page.getByRole("group", { name: "Add to one of my playlists" }).getByText("Added to Night listening.").waitFor();
    const playlist = await apiJson<{ tracks: { items: { track: { id: string } }[] } }>(`/v1/playlists/${mine.id}`, { token: listener.token });
    expect(playlist.tracks.items.map((i) => i.track.id)).toEqual([track.id]);
    await page.keyboard.press("Escape");
    await page.getByRole("group", { name: "Add to one of my playlists" }).waitFor({ state: "detached" });

    // Play it and let a few seconds go by: the waveform follows the player.
    await page.getByRole("button", { name: `Play ${track.title}` }).click();
    await page.waitForFunction(() => Number(document.querySelector(".waveform-slider")?.getAttribute("aria-valuenow")) >= 4, null, { timeout: 45_000 });
    await page.getByRole("button", { name: `Pause ${track.title}` }).waitFor();

    // The arrow keys seek (5 s a step).
    const before = await sliderSeconds(page);
    await page.locator(".waveform-slider").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((min) => Number(document.querySelector(".waveform-slider")?.getAttribute("aria-valuenow")) >= min, before + 8, { timeout: 15_000 });

    // A comment at the current position: the box is ticked while the track plays.
    const timed = page.getByRole("checkbox", { name: /^at \d+:\d\d$/ });
    expect(await timed.isChecked()).toBe(true);
    const positionNow = await sliderSeconds(page);
    await page.getByLabel("Your comment").fill("That swell right here");
    const label = (await page.locator(".comment-at").textContent())!;
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator(".comment-text", { hasText: "That swell right here" }).waitFor();

    const stored = await apiJson<{ items: TimedComment[] }>(`/v1/tracks/${track.id}/comments?timed=true`);
    expect(stored.items).toHaveLength(1);
    const comment = stored.items[0]!;
    expect(comment.content).toBe("That swell right here");
    // Placed where playback was (the second shown by the box, within a second of the slider's).
    expect(`0:${String(comment.timestamp_seconds).padStart(2, "0")}`).toBe(label);
    expect(Math.abs(comment.timestamp_seconds! - positionNow)).toBeLessThanOrEqual(2);
    expect(comment.timestamp_seconds!).toBeGreaterThanOrEqual(8);

    // A click on the waveform seeks there (10 % of 24 s: 2.4 s).
    const box = (await page.locator(".waveform-slider").boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.waitForFunction(() => Number(document.querySelector(".waveform-slider")?.getAttribute("aria-valuenow")) <= 5, null, { timeout: 15_000 });

    // Its marker sits along the waveform at at/duration.
    const expected = (comment.timestamp_seconds! / seconds) * 100;
    let markers = await markerPercents(page);
    expect(markers).toHaveLength(1);
    expect(markers[0]!.id).toBe(comment.id);
    expect(Math.abs(markers[0]!.pct - expected)).toBeLessThan(1);
    // Hovering (or focusing) it shows the comment.
    await page.locator(".waveform-marker").hover();
    await page.locator(".marker-tip", { hasText: "That swell right here" }).waitFor({ state: "visible" });
    await page.getByRole("button", { name: new RegExp(`at 0:${String(comment.timestamp_seconds).padStart(2, "0")}: That swell right here$`) }).waitFor();

    // After a reload it is still there, in the same place.
    await page.reload();
    await heading(page, track.title);
    await page.locator(".waveform-marker").waitFor();
    markers = await markerPercents(page);
    expect(markers.map((m) => m.id)).toEqual([comment.id]);
    expect(Math.abs(markers[0]!.pct - expected)).toBeLessThan(1);
    await page.locator(".comment-text", { hasText: "That swell right here" }).waitFor();
    expect(await page.getByRole("button", { name: "Liked", exact: true }).getAttribute("aria-pressed")).toBe("true");

    // The dark theme (the account's setting): the same page in the other colours.
    const lightWave = await page.locator(".waveform").evaluate((el) => getComputedStyle(el).getPropertyValue("--wave").trim());
    await apiJson("/v1/me", { method: "PATCH", token: listener.token, body: { theme: "dark" } });
    await page.reload();
    await heading(page, track.title);
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    await page.locator(".waveform-marker").waitFor();
    const darkWave = await page.locator(".waveform").evaluate((el) => getComputedStyle(el).getPropertyValue("--wave").trim());
    expect(darkWave).not.toBe(lightWave);
    expect((await canvasInk(page)).painted).toBeGreaterThan(0);
    await shot(page, "track-dark");
    await apiJson("/v1/me", { method: "PATCH", token: listener.token, body: { theme: "light" } });

    // The creator's page: follow them.
    await page.getByRole("link", { name: `@${creator.username}` }).first().click();
    await heading(page, `@${creator.username}`);
    expect(new URL(page.url()).pathname).toBe(`/users/${creator.username}`);
    const panel = (name: string) => page.getByRole("tabpanel", { name });
    await panel("Tracks").getByRole("link", { name: track.title }).waitFor();
    await page.getByRole("button", { name: `Follow @${creator.username}` }).click();
    await page.getByRole("button", { name: `Unfollow @${creator.username}` }).waitFor();
    await page.getByRole("list", { name: "Counts" }).getByText("1 follower", { exact: false }).waitFor();
    const follows = await apiJson<{ following: boolean }>(`/v1/me/following/${creator.username}`, { token: listener.token });
    expect(follows.following).toBe(true);
    await page.reload();
    await page.getByRole("button", { name: `Unfollow @${creator.username}` }).waitFor({ timeout: 20_000 });
    await panel("Tracks").getByRole("link", { name: track.title }).waitFor();
    await shot(page, "user");
    // The tabs, by keyboard: playlists, then posts; the address keeps the tab.
    await page.getByRole("tab", { name: "Tracks" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tab", { name: "Playlists", selected: true }).waitFor();
    await panel("Playlists").getByRole("link", { name: "Tones I made" }).waitFor();
    expect(new URL(page.url()).searchParams.get("tab")).toBe("playlists");
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tab", { name: "Posts", selected: true }).waitFor();
    await panel("Posts").getByText("New tone out now #tones").waitFor();
    expect(new URL(page.url()).searchParams.get("tab")).toBe("posts");
    // Switching tabs is not a new page: the follow state stayed as it was.
    expect(await page.getByRole("button", { name: `Unfollow @${creator.username}` }).isEnabled()).toBe(true);
    await page.reload();
    await page.getByRole("tab", { name: "Posts", selected: true }).waitFor({ timeout: 20_000 });
    await panel("Posts").getByText("New tone out now #tones").waitFor();
  });

  it("works on a phone-sized screen, and shows a track being processed until it is ready", async () => {
    const creator: TestUser = await registerUser("trk_p");
    const fileId = await uploadFile(creator.token, "phone.wav", toneWav(6, 330));
    const created = await apiJson<{ id: string; title: string }>("/v1/tracks", {
      method: "POST",
      token: creator.token,
      body: { file_id: fileId, title: "Phone-sized tone", visibility: "public", genre: "Ambient", bpm: 90, musical_key: "F#m", description: "Six seconds of a chord." },
    });

    const page = await browser.newPage(PHONE);
    await signIn(page, creator, `/tracks/${created.id}`);
    await heading(page, "Phone-sized tone");
    // Either still processing (a progress bar) or already done: either way it ends drawn.
    const first = await Promise.race([
      page.getByRole("progressbar").waitFor({ timeout: 30_000 }).then(() => "processing" as const),
      page.locator("canvas.waveform-canvas").waitFor({ timeout: 30_000 }).then(() => "ready" as const),
    ]);
    if (first === "processing") await shot(page, "track-processing-phone");
    await page.locator("canvas.waveform-canvas").waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => performance.getEntriesByName("veza:track-rendered").length === 1, null, { timeout: 20_000 });
    expect((await canvasInk(page)).painted).toBeGreaterThan(0);
    await page.getByText("F#m").waitFor();
    await page.getByText("Six seconds of a chord.").waitFor();
    // My own track: a plain comment (untimed: nothing is playing).
    expect(await page.getByRole("checkbox", { name: /^at / }).isChecked()).toBe(false);
    await page.getByLabel("Your comment").fill("First!");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.locator(".comment-text", { hasText: "First!" }).waitFor();
    expect(await page.locator(".waveform-marker").count()).toBe(0);
    // A reply, threaded under it.
    await page.getByRole("button", { name: "Reply", exact: true }).click();
    await page.getByLabel(/^Reply to /).fill("And a reply to it");
    await page.getByRole("button", { name: "Reply", exact: true }).last().click();
    const replies = page.getByRole("list", { name: /^Replies to / });
    await replies.getByText("And a reply to it").waitFor();
    await page.getByRole("button", { name: "Hide replies" }).waitFor();
    const thread = await apiJson<{ items: { content: string; reply_count: number }[] }>(`/v1/tracks/${created.id}/comments`);
    expect(thread.items).toMatchObject([{ content: "First!", reply_count: 1 }]);
    // …and deleting them (my own): the reply, then the comment.
    await replies.getByRole("button", { name: "Delete my comment" }).click();
    await page.getByRole("group", { name: "Delete this comment?" }).getByRole("button", { name: "Delete" }).click();
    await replies.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Delete my comment" }).click();
    await page.getByRole("group", { name: "Delete this comment?" }).getByRole("button", { name: "Delete" }).click();
    await page.getByText("No comments yet").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "track-phone");
  });
});
