import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { sent } from "./fixtures";

/** Every direct-message route as anonymous (401), a banned account (403) and a deleted one (401). */
describe("who may use the direct-message routes", () => {
  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one on every route", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const message = await sent(ada, bob, "hello");
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const routes: [string, string, object?][] = [
      ["POST", `/v1/me/conversations/${bob.username}/messages`, { content: "hi" }],
      ["GET", "/v1/me/conversations"],
      ["GET", `/v1/me/conversations/${bob.username}/messages`],
      ["POST", `/v1/me/conversations/${bob.username}/read`, {}],
      ["DELETE", `/v1/me/direct-messages/${message.id}`],
      ["GET", `/v1/me/direct-messages/${message.id}/attachment`],
    ];
    for (const [method, path, body] of routes) {
      const anonymous = await api(method, path, { body });
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401);
      expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
      expect((await api(method, path, { body, headers: banned.headers })).status, `banned ${method} ${path}`).toBe(403);
      expect((await api(method, path, { body, headers: deleted.headers })).status, `deleted ${method} ${path}`).toBe(401);
    }
  });

  it("never lets a third user touch someone else's messages", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    const message = await sent(ada, bob, "private");
    expect((await api("DELETE", `/v1/me/direct-messages/${message.id}`, { headers: eve.headers })).status).toBe(404);
    expect((await api("GET", `/v1/me/direct-messages/${message.id}/attachment`, { headers: eve.headers })).status).toBe(404);
    // eve's view of a conversation with ada is her own (empty), never ada and bob's
    expect((await api("GET", `/v1/me/conversations/${ada.username}/messages`, { headers: eve.headers })).body.items).toEqual([]);
    expect((await api("GET", "/v1/me/conversations", { headers: eve.headers })).body.items).toEqual([]);
    expect((await api("POST", `/v1/me/conversations/${ada.username}/read`, { headers: eve.headers, body: { up_to_id: message.id } })).status).toBe(422);
    expect((await api("GET", `/v1/me/conversations/${ada.username}/messages`, { headers: bob.headers })).body.items[0]).toMatchObject({ id: message.id, is_read: false });
  });
});
