import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { openInbox, settle } from "../inbox/sockets";
import { block, notificationsOf, posted, setSetting } from "./fixtures";

describe("notifications from posts", () => {
  it("a like, a comment, a reply and a mention are stored and pushed live to the recipient", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const adaPhone = await openInbox(ada);
    const bobPhone = await openInbox(bob);
    const p = await posted(ada, "notify me");

    expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: bob.headers })).status).toBe(200);
    const like = await adaPhone.next((f) => f.type === "notification", "the like notification");
    expect(like).toEqual({
      type: "notification",
      notification: {
        id: expect.any(String), user_id: ada.id, actor_id: bob.id, type: "like", entity_type: "post", entity_id: p.id,
        title: null, body: "notify me", data: { post_id: p.id }, is_read: false, read_at: null, created_at: expect.stringMatching(/Z$/),
      },
    });
    // the inbox API lists the same notification, with the actor's card
    const listed = await api("GET", "/v1/me/notifications", { headers: ada.headers });
    expect(listed.body.items[0]).toMatchObject({ id: like.notification.id, type: "like", actor: { id: bob.id } });

    // like, unlike, like again: notified once
    await api("DELETE", `/v1/posts/${p.id}/like`, { headers: bob.headers });
    await api("PUT", `/v1/posts/${p.id}/like`, { headers: bob.headers });
    // liking my own post notifies nobody
    await api("PUT", `/v1/posts/${p.id}/like`, { headers: ada.headers });

    const comment = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "nice" }, headers: bob.headers });
    expect(await adaPhone.next((f) => f.type === "notification" && (f as any).notification.type === "comment")).toMatchObject({
      notification: { type: "comment", actor_id: bob.id, entity_type: "post_comment", entity_id: comment.body.id, data: { post_id: p.id, comment_id: comment.body.id } },
    });
    const reply = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "thanks", parent_comment_id: comment.body.id }, headers: ada.headers });
    expect(await bobPhone.next((f) => f.type === "notification", "the reply notification")).toMatchObject({
      notification: { user_id: bob.id, actor_id: ada.id, type: "comment", entity_id: reply.body.id },
    });

    const mention = await posted(bob, `hey @${ada.username.toUpperCase()} and @${bob.username} and @nobody_${ada.id.slice(0, 8)}`);
    expect(await adaPhone.next((f) => f.type === "notification" && (f as any).notification.type === "mention")).toMatchObject({
      notification: { user_id: ada.id, actor_id: bob.id, type: "mention", entity_type: "post", entity_id: mention.id },
    });
    await settle();
    expect((await notificationsOf(ada.id)).map((n) => n.type)).toEqual(["mention", "comment", "like"]);
    // bob got the reply only: never his own mention or his own likes
    expect((await notificationsOf(bob.id)).map((n) => n.type)).toEqual(["comment"]);
    adaPhone.close();
    bobPhone.close();
  });

  it("are not created when the recipient turned that kind off", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    await setSetting(ada.id, "email_on_like", false);
    await setSetting(ada.id, "email_on_comment", false);
    await setSetting(ada.id, "email_on_mention", false);
    const adaPhone = await openInbox(ada);
    const p = await posted(ada, "quiet please");
    await api("PUT", `/v1/posts/${p.id}/like`, { headers: bob.headers });
    await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "psst" }, headers: bob.headers });
    await posted(bob, `@${ada.username} psst`);
    await settle();
    expect(await notificationsOf(ada.id)).toEqual([]);
    expect(adaPhone.frames.filter((f) => f.type === "notification")).toEqual([]);
    adaPhone.close();
  });

  it("are not created across a block, nor for a mention of someone who may not see the post", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    await block(ada, bob); // ada blocked bob: bob mentioning ada notifies nobody
    await posted(bob, `@${ada.username} can you hear me`);
    await block(eve, ada); // eve blocked ada
    await posted(ada, `@${eve.username} hello?`);
    // a private post mentioning a non-follower
    const cid = await signedInUser();
    await posted(ada, `@${cid.username} secret`, { visibility: "private" });
    expect(await notificationsOf(ada.id)).toEqual([]);
    expect(await notificationsOf(eve.id)).toEqual([]);
    expect(await notificationsOf(cid.id)).toEqual([]);
  });
});
