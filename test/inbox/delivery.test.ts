import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { block, markRead, send, sent } from "../direct-messages/fixtures";
import { openInbox, settle } from "./sockets";

describe("live delivery over the inbox", () => {
  it("delivers a stored DM to the recipient's sockets and the sender's other devices, never to a third user", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    const [adaPhone, adaLaptop, bobPhone, evePhone] = await Promise.all([openInbox(ada), openInbox(ada), openInbox(bob), openInbox(eve)]);

    const res = await send(ada, bob, { content: "live!" });
    expect(res.status).toBe(201);
    const toBob = await bobPhone.next((f) => f.type === "dm", "the dm");
    expect(toBob).toEqual({ type: "dm", message: res.body, user: { id: ada.id, username: ada.username, display_name: null, avatar_url: null } });
    for (const device of [adaPhone, adaLaptop]) {
      expect(await device.next((f) => f.type === "dm", "the sender's copy")).toEqual({ type: "dm", message: res.body, user: expect.objectContaining({ id: bob.id, username: bob.username }) });
    }
    await settle();
    expect(evePhone.frames.filter((f) => f.type !== "ready")).toEqual([]);

    // reading tells the sender (and the reader's other devices)
    const read = await markRead(bob, ada);
    const receipt = { type: "dm_read", reader_id: bob.id, sender_id: ada.id, up_to_id: res.body.id, read_at: read.body.read_at, count: 1 };
    expect(await adaPhone.next((f) => f.type === "dm_read", "the read receipt")).toEqual(receipt);
    expect(await bobPhone.next((f) => f.type === "dm_read", "the reader's copy")).toEqual(receipt);

    // deleting for me tells my other devices only
    expect((await api("DELETE", `/v1/me/direct-messages/${res.body.id}`, { headers: ada.headers })).status).toBe(204);
    expect(await adaLaptop.next((f) => f.type === "dm_deleted")).toEqual({ type: "dm_deleted", message_id: res.body.id });
    await settle();
    expect(bobPhone.frames.some((f) => f.type === "dm_deleted")).toBe(false);
    expect(evePhone.frames.filter((f) => f.type !== "ready")).toEqual([]);
    for (const d of [adaPhone, adaLaptop, bobPhone, evePhone]) d.close();
  });

  it("delivers nothing for a refused message, and no read receipt across a block", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const message = await sent(ada, bob, "before");
    const adaPhone = await openInbox(ada);
    const bobPhone = await openInbox(bob);
    expect((await block(bob, ada)).status).toBe(200);
    expect((await send(ada, bob, { content: "blocked" })).status).toBe(403);
    expect((await markRead(bob, ada)).body).toMatchObject({ marked: 1, up_to_id: message.id });
    expect(await bobPhone.next((f) => f.type === "dm_read")).toMatchObject({ reader_id: bob.id });
    await settle();
    expect(adaPhone.frames.filter((f) => f.type !== "ready")).toEqual([]);
    expect(bobPhone.frames.some((f) => f.type === "dm")).toBe(false);
    adaPhone.close();
    bobPhone.close();
  });

  it("stores the message even when no socket is open, and when delivery fails", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const broken = {
      idFromName: () => {
        throw new Error("inbox namespace down");
      },
    } as unknown as Cloudflare.Env["USER_INBOX"];
    const res = await api("POST", `/v1/me/conversations/${bob.username}/messages`, { headers: ada.headers, body: { content: "still stored" }, bindings: { USER_INBOX: broken } });
    expect(res.status).toBe(201);
    expect((await api("GET", `/v1/me/conversations/${ada.username}/messages`, { headers: bob.headers })).body.items).toEqual([res.body]);
  });
});
