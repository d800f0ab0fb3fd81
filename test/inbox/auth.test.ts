import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/lib/auth/tokens";
import { api, readResponse, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { Device } from "../queue/sockets";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { closeCodeOf, openInbox, upgradeInbox } from "./sockets";

const problemOf = async (res: Response) => {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await readResponse(res)).body;
};

describe("who may open the inbox socket", () => {
  it("refuses anonymous, forged and expired tokens with 401, and a plain request with 426", async () => {
    const user = await signedInUser();
    const anonymous = await upgradeInbox({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.webSocket).toBeNull();
    expect(await problemOf(anonymous)).toMatchObject({ status: 401, code: "unauthenticated" });
    expect((await upgradeInbox({ Authorization: "Bearer not-a-jwt" })).status).toBe(401);
    const forged = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, "another-secret-another-secret-0123456789");
    expect((await upgradeInbox({ Authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await upgradeInbox({ "Sec-WebSocket-Protocol": `veza.inbox.v1, bearer.${forged}` })).status).toBe(401);
    const expired = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, env.JWT_SECRET, new Date(Date.now() - 3600_000));
    expect(await problemOf(await upgradeInbox({ Authorization: `Bearer ${expired}` }))).toMatchObject({ code: "invalid_token" });
    const plain = await api("GET", "/v1/me/inbox/ws", { headers: user.headers });
    expect(plain.status).toBe(426);
    expect(plain.body).toMatchObject({ code: "upgrade_required" });
  });

  it("refuses a banned account with 403 and a deleted one with 401", async () => {
    const banned = await signedInUser();
    await banUser(banned.id);
    expect(await problemOf(await upgradeInbox(banned.headers))).toMatchObject({ status: 403, code: "forbidden" });
    expect((await upgradeInbox({ "Sec-WebSocket-Protocol": `veza.inbox.v1, bearer.${banned.accessToken}` })).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await upgradeInbox(deleted.headers)).status).toBe(401);
  });

  it("takes the token from the subprotocol list and selects veza.inbox.v1; refuses a list without it (400)", async () => {
    const user = await signedInUser();
    const res = await upgradeInbox({ "Sec-WebSocket-Protocol": `veza.inbox.v1, bearer.${user.accessToken}` });
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("veza.inbox.v1");
    const device = new Device(res.webSocket!);
    res.webSocket!.accept();
    expect(await device.next((f) => f.type === "ready")).toMatchObject({ type: "ready", user_id: user.id });
    device.close();
    expect((await upgradeInbox({ "Sec-WebSocket-Protocol": `veza.queue.v1, bearer.${user.accessToken}` })).status).toBe(400);
  });

  it("answers anything but reauth with an error, and a fresh token of the same user extends the socket", async () => {
    const user = await signedInUser();
    const stranger = await signedInUser();
    const device = await openInbox(user);
    expect(await device.request({ type: "dm", content: "hi" })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await device.request({ type: "reauth", token: stranger.accessToken })).toMatchObject({ type: "error", code: "invalid_token" });
    const reauth = await device.request({ type: "reauth", token: user.accessToken });
    expect(reauth).toMatchObject({ type: "reauthenticated" });
    expect(Date.parse(reauth.expires_at)).toBeGreaterThan(Date.now() + 10 * 60_000);
    device.ws.send("not json");
    expect(await device.next((f) => f.type === "error" && !f.request_id)).toMatchObject({ code: "invalid_message" });
    device.close();
  });

  it("closes a socket whose token expired (4001) when something is delivered to it", async () => {
    const user = await signedInUser();
    const sender = await signedInUser();
    const shortLived = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, env.JWT_SECRET, new Date(Date.now() - (15 * 60 - 1) * 1000));
    const device = await openInbox({ accessToken: shortLived });
    const closed = closeCodeOf(device);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await api("POST", `/v1/me/conversations/${user.username}/messages`, { headers: sender.headers, body: { content: "late" } })).status).toBe(201);
    expect(await closed).toBe(4001);
    expect(device.frames.some((f) => f.type === "dm")).toBe(false);
    expect(device.frames.at(-1)).toMatchObject({ type: "error", code: "token_expired" });
  });

  it("closes every socket of a deleted account (4003)", async () => {
    const user = await signedInUser();
    const phone = await openInbox(user);
    const laptop = await openInbox(user);
    const closed = [closeCodeOf(phone), closeCodeOf(laptop)];
    // an account without a password (signed up with a provider) is deleted on confirmation alone
    await sql.query("UPDATE users SET password_hash = NULL WHERE id = $1", [user.id]);
    expect((await api("DELETE", "/v1/me", { headers: user.headers, body: { confirm: "DELETE" } })).status).toBe(204);
    expect(await Promise.all(closed)).toEqual([4003, 4003]);
  });
});
