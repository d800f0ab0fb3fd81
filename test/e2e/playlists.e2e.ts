import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, shot, useBrowser } from "./browser";
import { apiJson, fillExactly, readyTrack, registerUser, signIn, type ReadyTrack, type TestUser } from "./support";

/**
 * Playlists in the web app: a playlist of three processed tracks reordered by dragging a row
 * (HTML5 drag and drop) and with the keyboard (Alt+↓ in a row, the ↑ button), each order checked
 * on screen, through the API and after a reload; the library lists it, search finds it and its
 * tracks; collaboration: the owner invites someone by username, who accepts from their library and
 * may then reorder too.
 */

const browser = useBrowser();

interface PlaylistJson {
  id: string;
  name: string;
  my_role: string | null;
  tracks: { items: { position: number; track: { id: string; title: string } }[] };
}

/** A word search will find only here (letters only: the index splits on anything else). */
function word(prefix: string): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = prefix;
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return s;
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor({ state: "visible", timeout: 30_000 });
}

/** The track titles in the order the playlist page shows them. */
function shownOrder(page: Page): Promise<string[]> {
  return page.locator(".track-list .track-row .track-main > a").allTextContents();
}

async function apiOrder(user: TestUser, playlistId: string): Promise<string[]> {
  const p = await apiJson<PlaylistJson>(`/v1/playlists/${playlistId}`, { token: user.token });
  return p.tracks.items.sort((a, b) => a.position - b.position).map((i) => i.track.title);
}

function row(page: Page, title: string): Locator {
  return page.locator(".track-list .track-row", { has: page.getByRole("link", { name: title, exact: true }) });
}

describe("playlists in the web app", () => {
  let owner: TestUser;
  let tracks: ReadyTrack[];
  const name = `${word("Roadtrip")} mix`;

  it("reorders a playlist by drag and drop and by keyboard, and the order persists", async () => {
    owner = await registerUser("plown");
    const titles = [word("Alpha"), word("Bravo"), word("Charlie")];
    // Short tracks: three are processed at once on shared cores.
    tracks = await Promise.all(titles.map((t) => readyTrack(owner, t, 3)));
    const created = await apiJson<PlaylistJson>("/v1/playlists", { method: "POST", token: owner.token, body: { name, description: "For long roads.", visibility: "public" } });
    for (const t of tracks) await apiJson(`/v1/playlists/${created.id}/tracks`, { method: "POST", token: owner.token, body: { track_id: t.id } });
    const [a, b, c] = titles as [string, string, string];

    const page = await browser.newPage();
    await signIn(page, owner, `/playlists/${created.id}`);
    await heading(page, name);
    await expect.poll(() => shownOrder(page)).toEqual([a, b, c]);
    await page.getByText("3 tracks").first().waitFor();

    // Drag the third track onto the top half of the first: a drop line shows, then it lands first.
    const handle = row(page, c).locator(".drag-handle");
    const target = row(page, a);
    await handle.hover();
    await page.mouse.down();
    const box = (await target.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 4, { steps: 8 });
    await page.locator(".track-row.drop-before").waitFor();
    expect(await page.locator(".track-row.drop-before .track-main > a").textContent()).toBe(a);
    await shot(page, "playlist-dragging");
    await page.mouse.up();
    await expect.poll(() => shownOrder(page)).toEqual([c, a, b]);
    await page.getByRole("status").filter({ hasText: `Moved “${c}” to position 1 of 3.` }).waitFor();
    // Persisted: the API has it, and a reload shows it.
    await expect.poll(() => apiOrder(owner, created.id), { timeout: 15_000 }).toEqual([c, a, b]);
    await page.reload();
    await heading(page, name);
    await expect.poll(() => shownOrder(page)).toEqual([c, a, b]);

    // Playwright's own drag (mouse down on the source, up on the target's centre): B before A.
    await row(page, b).locator(".drag-handle").dragTo(row(page, a), { targetPosition: { x: 40, y: 3 } });
    await expect.poll(() => shownOrder(page)).toEqual([c, b, a]);
    await expect.poll(() => apiOrder(owner, created.id), { timeout: 15_000 }).toEqual([c, b, a]);

    // The keyboard: Alt+↓ anywhere in C's row moves it down one, and the focus stays with C.
    await row(page, c).getByRole("button", { name: `Move ${c} down` }).focus();
    await page.keyboard.press("Alt+ArrowDown");
    await expect.poll(() => shownOrder(page)).toEqual([b, c, a]);
    await page.getByRole("status").filter({ hasText: `Moved “${c}” to position 2 of 3.` }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Move ${c} down`);
    // The ↑ button of A, pressed with the keyboard: A before C.
    await row(page, a).getByRole("button", { name: `Move ${a} up` }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => shownOrder(page)).toEqual([b, a, c]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Move ${a} up`);
    await expect.poll(() => apiOrder(owner, created.id), { timeout: 15_000 }).toEqual([b, a, c]);
    await page.reload();
    await heading(page, name);
    await expect.poll(() => shownOrder(page)).toEqual([b, a, c]);
    await shot(page, "playlist");

    // The library lists it; search finds the playlist and its tracks.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
    await heading(page, "Your library");
    await page.getByRole("list", { name: "My playlists" }).getByRole("link", { name }).waitFor();
    await shot(page, "library");

    // With the search history turned on, searches are remembered (and offered again below).
    await apiJson("/v1/me/settings", { method: "PATCH", token: owner.token, body: { save_search_history: true } });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
    await heading(page, "Search");
    const field = page.getByRole("searchbox", { name: /Search tracks, people, playlists/ });
    await field.fill(name.split(" ")[0]!.slice(0, 10));
    const playlists = page.getByRole("region", { name: "Playlists" });
    await playlists.getByRole("link", { name }).waitFor({ timeout: 20_000 });
    // The query is in the address: a reload shows the same results.
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(name.slice(0, 10));
    await page.reload();
    await heading(page, "Search");
    await page.getByRole("region", { name: "Playlists" }).getByRole("link", { name }).waitFor({ timeout: 20_000 });

    // A track by its title, narrowed to tracks; ↓ from the field reaches the result.
    await field.fill(c);
    await page.getByRole("radio", { name: "Tracks" }).check();
    const result = page.getByRole("list", { name: `Tracks matching “${c}”` }).getByRole("link", { name: c });
    await result.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get("type")).toBe("track");
    await field.focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(c);
    await field.fill(name.split(" ")[0]!);
    await page.getByRole("radio", { name: "All" }).check();
    await page.getByRole("region", { name: "Playlists" }).getByRole("link", { name }).waitFor({ timeout: 20_000 });
    await shot(page, "search");

    // Emptied, the field offers the recent searches; one runs again.
    await field.fill("");
    const recent = page.getByRole("region", { name: "Recent searches" });
    await recent.getByRole("button", { name: c, exact: true }).first().click();
    await expect.poll(() => field.inputValue()).toBe(c);
    await page.getByRole("link", { name: c, exact: true }).first().waitFor({ timeout: 20_000 });
  });

  it("creates a playlist, invites a collaborator who accepts and reorders it too (phone-sized)", async () => {
    const friend = await registerUser("plfriend");
    const title = `${word("Shared")} tunes`;

    // The owner creates it from the library.
    const page = await browser.newPage();
    await signIn(page, owner, "/library");
    await heading(page, "Your library");
    await page.getByRole("button", { name: "New playlist" }).click();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Description (optional)").fill("Built together.");
    await page.getByLabel("Visibility").selectOption("private");
    await page.getByRole("button", { name: "Create playlist" }).click();
    await heading(page, title);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const made = await apiJson<PlaylistJson & { visibility: string; description: string }>(`/v1/playlists/${id}`, { token: owner.token });
    expect(made).toMatchObject({ name: title, visibility: "private", description: "Built together.", my_role: "owner" });
    for (const t of tracks) await apiJson(`/v1/playlists/${id}/tracks`, { method: "POST", token: owner.token, body: { track_id: t.id } });

    // An unknown username is refused by the field; then the friend is invited as an editor.
    await page.getByLabel("Invite by username").fill("nobody_here_at_all");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page.getByText("is not a user").waitFor();
    await fillExactly(page.getByLabel("Invite by username"), friend.username);
    await page.getByLabel("Role", { exact: true }).selectOption("edit");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page.locator(".collaborator", { hasText: `@${friend.username}` }).getByText("Invited").waitFor();

    // The friend, on a phone, accepts from their library and sees it among their playlists.
    const phone = await browser.newPage(PHONE);
    await signIn(phone, friend, "/library");
    await heading(phone, "Your library");
    const invitations = phone.getByRole("region", { name: /Invitations/ });
    await invitations.getByText(title, { exact: true }).waitFor();
    await shot(phone, "library-invitation-phone");
    await invitations.getByRole("button", { name: `Accept the invitation to ${title}` }).click();
    await phone.getByRole("status").filter({ hasText: `You now collaborate on “${title}”.` }).waitFor();
    await phone.getByRole("list", { name: "My playlists" }).getByRole("link", { name: title }).click();
    await heading(phone, title);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // As an editor, the friend reorders with the buttons; the owner's API view agrees.
    const [first, second] = tracks.map((t) => t.title) as [string, string];
    const before = await apiOrder(owner, id);
    expect(before.slice(0, 2)).toEqual([first, second]);
    await row(phone, second).getByRole("button", { name: `Move ${second} up` }).click();
    await expect.poll(() => apiOrder(owner, id), { timeout: 15_000 }).toEqual([second, first, ...before.slice(2)]);
    await shot(phone, "playlist-phone");

    // The owner's page lists the friend as a collaborator now.
    await page.reload();
    await heading(page, title);
    await page.locator(".collaborator", { hasText: `@${friend.username}` }).getByText("Collaborator", { exact: true }).waitFor();
  });
});
