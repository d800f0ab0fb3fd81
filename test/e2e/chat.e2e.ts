import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, shot, unique, useBrowser } from "./browser";
import { apiJson, registerUser, signIn, type TestUser } from "./support";

/**
 * Chat in the web app: two people in the same room, each in their own browser, see each other
 * type, and every message, reaction, edit, reply and delete cross live; the rooms list shows what
 * is unread; the room works with the keyboard and on a phone.
 */

const browser = useBrowser();

interface RoomRef {
  id: string;
  name: string;
}

async function createRoom(owner: TestUser, members: TestUser[] = []): Promise<RoomRef> {
  const name = `Room ${unique("e2e")}`;
  const room = await apiJson<{ id: string }>("/v1/rooms", { method: "POST", token: owner.token, body: { name, room_type: "public", topic: "Works in progress" } });
  for (const m of members) await apiJson(`/v1/rooms/${room.id}/join`, { method: "POST", token: m.token, body: {} });
  return { id: room.id, name };
}

/** The room's page once its socket is open (the composer is there and the status line is quiet). */
async function openRoom(page: Page, user: TestUser, room: RoomRef): Promise<{ log: Locator; composer: Locator }> {
  await signIn(page, user, `/chat/${room.id}`);
  await page.getByRole("heading", { level: 1, name: room.name }).waitFor({ timeout: 30_000 });
  return { log: page.getByRole("log", { name: "Messages" }), composer: page.getByLabel(`Message ${room.name}`) };
}

async function connected(page: Page) {
  await expect.poll(() => page.locator(".chat-status").textContent(), { timeout: 20_000 }).toBe("");
}

/** The message whose own text (not a quote of it) contains `text`. */
const message = (log: Locator, text: string) => log.locator("article.msg").filter({ has: log.page().locator(".msg-text", { hasText: text }) });

describe("chat in the web app", () => {
  it("two people in one room see typing, messages, reactions, edits, replies and deletes cross live", async () => {
    const [alice, bob] = await Promise.all([registerUser("chat_a"), registerUser("chat_b")]);
    const room = await createRoom(alice);

    // Bob is not a member yet: the room says what it is and lets him join.
    const pageB = await browser.newPage();
    await signIn(pageB, bob, `/chat/${room.id}`);
    await pageB.getByRole("button", { name: /Join the room/ }).click();
    await pageB.getByRole("heading", { level: 1, name: room.name }).waitFor({ timeout: 30_000 });
    const logB = pageB.getByRole("log", { name: "Messages" });
    const composerB = pageB.getByLabel(`Message ${room.name}`);

    const pageA = await browser.newPage();
    const { log: logA, composer: composerA } = await openRoom(pageA, alice, room);
    await Promise.all([connected(pageA), connected(pageB)]);
    expect(await logA.getAttribute("aria-live")).toBe("polite");

    // Presence: each sees the other online.
    await pageA.locator("#room-people").getByText(bob.username, { exact: true }).waitFor();
    await pageB.locator("#room-people").getByText(alice.username, { exact: true }).waitFor();

    // Alice types: Bob sees it; she sends with Enter: the message appears in Bob's page.
    await composerA.pressSequentially("Hello from Alice", { delay: 15 });
    await pageB.getByText(`${alice.username} is typing…`).waitFor({ timeout: 10_000 });
    await composerA.press("Enter");
    await message(logB, "Hello from Alice").waitFor({ timeout: 10_000 });
    expect(await composerA.inputValue()).toBe("");
    await expect.poll(() => pageB.getByText(`${alice.username} is typing…`).count(), { timeout: 10_000 }).toBe(0);

    // Shift+Enter is a new line, not a send.
    await composerA.pressSequentially("line one");
    await composerA.press("Shift+Enter");
    await composerA.pressSequentially("line two");
    expect(await composerA.inputValue()).toBe("line one\nline two");
    await composerA.press("Enter");
    await expect.poll(() => message(logB, "line one").locator(".msg-text").innerText(), { timeout: 10_000 }).toBe("line one\nline two");

    // Bob reacts: Alice sees the count; the reaction is Bob's own (pressed) in his page only.
    const helloB = message(logB, "Hello from Alice");
    await helloB.hover();
    await helloB.getByRole("button", { name: "React" }).click();
    await pageB.getByRole("button", { name: "React with thumbs up" }).click();
    const helloA = message(logA, "Hello from Alice");
    const chipA = helloA.getByRole("button", { name: "thumbs up: 1" });
    await chipA.waitFor({ timeout: 10_000 });
    expect(await chipA.getAttribute("aria-pressed")).toBe("false");
    expect(await helloB.getByRole("button", { name: "thumbs up: 1" }).getAttribute("aria-pressed")).toBe("true");
    // Alice adds hers by the chip: two, and now hers is pressed too.
    await chipA.click();
    await helloB.getByRole("button", { name: "thumbs up: 2" }).waitFor({ timeout: 10_000 });
    expect(await helloA.getByRole("button", { name: "thumbs up: 2" }).getAttribute("aria-pressed")).toBe("true");

    // Alice edits her first message (Edit on the message): Bob sees the new text, marked edited.
    await helloA.hover();
    await helloA.getByRole("button", { name: "Edit" }).click();
    const editor = pageA.getByLabel("Edit your message");
    await editor.fill("Hello from Alice, edited");
    await editor.press("Enter");
    await message(logB, "Hello from Alice, edited").getByText("(edited)").waitFor({ timeout: 10_000 });

    // Bob replies to it: Alice sees the reply quoting its parent.
    const editedB = message(logB, "Hello from Alice, edited");
    await editedB.hover();
    await editedB.getByRole("button", { name: "Reply" }).click();
    await pageB.getByText("Replying to").waitFor();
    await composerB.fill("Nice one, Alice");
    await composerB.press("Enter");
    const replyA = message(logA, "Nice one, Alice");
    await replyA.waitFor({ timeout: 10_000 });
    expect(await replyA.locator(".msg-quote").innerText()).toContain("Hello from Alice, edited");

    // Keyboard: the log is one Tab stop; arrows move between messages, Tab reaches their actions.
    expect(await pageA.locator("article.msg[tabindex='0']").count()).toBe(1);
    await pageA.locator("article.msg[tabindex='0']").focus();
    const focusedText = () => pageA.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? "");
    await pageA.keyboard.press("End");
    expect(await focusedText()).toContain("Nice one, Alice");
    await pageA.keyboard.press("ArrowUp");
    expect(await focusedText()).toContain("line two");
    await pageA.keyboard.press("Tab");
    expect(await pageA.evaluate(() => document.activeElement?.textContent)).toBe("React");

    // Up in the empty composer edits my last message; Alice then deletes it: Bob sees it go.
    await composerA.focus();
    await composerA.press("ArrowUp");
    await pageA.getByLabel("Edit your message").press("Escape");
    const linesA = message(logA, "line two");
    await linesA.hover();
    await linesA.getByRole("button", { name: "Delete" }).click();
    await linesA.getByRole("button", { name: "Delete", exact: true }).last().click();
    await message(logB, "This message was deleted.").waitFor({ timeout: 10_000 });
    expect(await message(logB, "line two").count()).toBe(0);

    await shot(pageA, "chat-room");

    // Everything Bob saw moved his read marker: nothing is unread for him (flushed to the database shortly).
    await expect
      .poll(async () => (await apiJson<{ items: { id: string; unread_count: number }[] }>("/v1/me/rooms", { token: bob.token })).items.find((r) => r.id === room.id)?.unread_count, { timeout: 15_000 })
      .toBe(0);

    // History pages in from the API after a reload (the room's recent messages and older ones alike).
    await pageB.reload();
    await message(logB, "Nice one, Alice").waitFor({ timeout: 20_000 });
    expect(await message(logB, "Hello from Alice, edited").count()).toBe(1);
  });

  it("shows unread badges in the rooms list, clears them once read, and works on a phone", async () => {
    const [alice, bob] = await Promise.all([registerUser("chat_c"), registerUser("chat_d")]);
    const quiet = await createRoom(alice, [bob]);
    const busy = await createRoom(alice, [bob]);
    for (const content of ["First news", "Second news", "Third news"]) {
      await apiJson(`/v1/rooms/${busy.id}/messages`, { method: "POST", token: alice.token, body: { content } });
    }

    // A third page: Bob's list of rooms, with the unread count on the busy room only.
    const list = await browser.newPage();
    await signIn(list, bob, "/chat");
    await list.getByRole("heading", { level: 2, name: "Your rooms" }).waitFor({ timeout: 30_000 });
    const mine = list.getByRole("region", { name: "Your rooms" });
    const busyLink = mine.getByRole("link", { name: new RegExp(busy.name) });
    // Messages reach the database about half a second after the room took them: the list catches up.
    await expect
      .poll(
        async () => {
          const badge = busyLink.locator(".badge");
          if (await badge.count()) return badge.getAttribute("data-unread");
          await list.reload();
          await list.getByRole("heading", { level: 2, name: "Your rooms" }).waitFor();
          return null;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe("3");
    expect(await busyLink.innerText()).toContain("Third news");
    expect(await mine.getByRole("link", { name: new RegExp(quiet.name) }).locator(".badge").count()).toBe(0);
    expect((await busyLink.textContent()) ?? "").toContain("3 unread messages");
    await shot(list, "chat-rooms");

    // Bob opens the room on his phone: the new messages are marked, and reading them clears the badge.
    const phone = await browser.newPage(PHONE);
    const { log } = await openRoom(phone, bob, busy);
    await message(log, "Third news").waitFor({ timeout: 20_000 });
    await phone.locator(".chat-new", { hasText: "New messages" }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.getByRole("button", { name: "1 online" }).click();
    await phone.locator("#room-people").getByText(bob.username, { exact: true }).waitFor();
    await shot(phone, "chat-room-phone");

    await expect
      .poll(
        async () => {
          await list.reload();
          await list.getByRole("heading", { level: 2, name: "Your rooms" }).waitFor();
          await busyLink.waitFor();
          return busyLink.locator(".badge").count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(0);

    // The rooms list fits a phone too.
    await phone.goto("/chat");
    await phone.getByRole("heading", { level: 2, name: "Your rooms" }).waitFor({ timeout: 20_000 });
    await phone.getByRole("region", { name: "Your rooms" }).getByRole("link", { name: new RegExp(busy.name) }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it("reconnects with ?since= after a drop, and says inline what slow mode and a mute refuse", async () => {
    const [alice, bob] = await Promise.all([registerUser("chat_e"), registerUser("chat_f")]);
    const name = `Slow ${unique("e2e")}`;
    const created = await apiJson<{ id: string }>("/v1/rooms", { method: "POST", token: alice.token, body: { name, room_type: "public", slow_mode_seconds: 30 } });
    await apiJson(`/v1/rooms/${created.id}/join`, { method: "POST", token: bob.token, body: {} });
    const page = await browser.newPage();
    // Keep a handle on the page's sockets, to cut the room's link from here.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const opened: WebSocket[] = [];
      Object.assign(window, { openedSockets: opened });
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(this);
        }
      };
    });
    const { log, composer } = await openRoom(page, bob, { id: created.id, name });
    await connected(page);
    await page.getByText("Slow mode: one message every 30 s").waitFor();

    // The link drops; what is said meanwhile arrives once it is back, and the new link asks only for what it missed.
    // (The player has a socket of its own: the room's are those under /v1/rooms/.)
    const sockets = () => page.evaluate(() => (window as unknown as { openedSockets: WebSocket[] }).openedSockets.map((ws) => ws.url).filter((url) => url.includes("/v1/rooms/")));
    expect(await sockets()).toHaveLength(1);
    await page.evaluate(() => (window as unknown as { openedSockets: WebSocket[] }).openedSockets.find((ws) => ws.url.includes("/v1/rooms/"))!.close());
    await apiJson(`/v1/rooms/${created.id}/messages`, { method: "POST", token: alice.token, body: { content: "said while you were away" } });
    await message(log, "said while you were away").waitFor({ timeout: 15_000 });
    await connected(page);
    const urls = await sockets();
    expect(urls).toHaveLength(2);
    expect(urls[0]).not.toContain("since=");
    expect(urls[1]).toMatch(/[?&]since=\d+/);

    await composer.fill("first, at once");
    await composer.press("Enter");
    await message(log, "first, at once").locator(".msg-head").waitFor({ timeout: 10_000 });
    await composer.fill("second, too soon");
    await composer.press("Enter");
    const held = log.locator("article.msg-pending", { hasText: "second, too soon" });
    await expect.poll(() => held.locator(".msg-status").innerText(), { timeout: 10_000 }).toMatch(/^Slow mode: one message every 30 s\. Sending in \d+ s\./);
    await held.getByRole("button", { name: "Discard" }).click();
    expect(await held.count()).toBe(0);

    // The owner mutes Bob: his open room takes it at once, and says so instead of the message box.
    await apiJson(`/v1/rooms/${created.id}/members/${bob.id}/mute`, { method: "POST", token: alice.token, body: { minutes: 10 } });
    await page.getByText(/You are muted in this room until/).waitFor({ timeout: 10_000 });
    expect(await composer.count()).toBe(0);
  });
});
