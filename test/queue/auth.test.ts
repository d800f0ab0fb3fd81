import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/lib/auth/tokens";
import { api, readResponse, signedInUser } from "../helpers/auth";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { connect, Device, readyTracks, restState, upgrade } from "./sockets";

const problemOf = async (res: Response) => {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await readResponse(res)).body;
};

describe("who may open the queue socket", () => {
  it("refuses anonymous, malformed, forged and expired tokens with 401, a plain request with 426", async () => {
    const user = await signedInUser();
    const anonymous = await upgrade({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.webSocket).toBeNull();
    expect(await problemOf(anonymous)).toMatchObject({ status: 401, code: "unauthenticated" });
    expect((await upgrade({ Authorization: "Bearer not-a-jwt" })).status).toBe(401);
    expect((await upgrade({ Authorization: `Basic ${btoa("a:b")}` })).status).toBe(401);
    const forged = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, "another-secret-another-secret-0123456789");
    expect((await upgrade({ Authorization: `Bearer ${forged}` })).status).toBe(401);
    const expired = await signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, env.JWT_SECRET, new Date(Date.now() - 3600_000));
    const res = await upgrade({ Authorization: `Bearer ${expired}` });
    expect(res.status).toBe(401);
    expect(await problemOf(res)).toMatchObject({ code: "invalid_token", detail: expect.stringContaining("expired") });
    expect((await upgrade({ "Sec-WebSocket-Protocol": "veza.queue.v1, bearer.not-a-jwt" })).status).toBe(401);

    const plain = await api("GET", "/v1/me/queue/ws", { headers: user.headers });
    expect(plain.status).toBe(426);
    expect(plain.headers.get("content-type")).toBe("application/problem+json");
    expect(plain.body).toMatchObject({ status: 426, code: "upgrade_required" });
  });

  it("refuses a banned account with 403 and a deleted one with 401, on the socket and over REST", async () => {
    const banned = await signedInUser();
    await banUser(banned.id);
    const res = await upgrade(banned.headers);
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({ code: "forbidden" });
    expect((await upgrade({ "Sec-WebSocket-Protocol": `veza.queue.v1, bearer.${banned.accessToken}` })).status).toBe(403);
    expect((await api("GET", "/v1/me/queue", { headers: banned.headers })).status).toBe(403);

    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await upgrade(deleted.headers)).status).toBe(401);
    expect((await api("GET", "/v1/me/queue", { headers: deleted.headers })).status).toBe(401);
    expect((await api("GET", "/v1/me/queue")).status).toBe(401);
  });

  it("takes the token from the subprotocol list (browsers) and selects veza.queue.v1", async () => {
    const user = await signedInUser();
    const res = await upgrade({ "Sec-WebSocket-Protocol": `veza.queue.v1, bearer.${user.accessToken}` });
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("veza.queue.v1");
    const device = new Device(res.webSocket!);
    res.webSocket!.accept();
    const state = await device.until(() => device.state, "the initial state");
    expect(state).toEqual(await restState(user));
    device.close();
    // A list without our protocol could not accept the answer: refused before anything else.
    expect((await upgrade({ "Sec-WebSocket-Protocol": `chat, bearer.${user.accessToken}` })).status).toBe(400);
    expect((await upgrade(user.headers, "?device_id=bad%20id")).status).toBe(422);
  });

  it("never shows one user's queue to another: each token reaches only its own queue", async () => {
    const creator = await signedInUser();
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const mine = await connect(owner);
    const theirs = await connect(stranger);
    await mine.apply({ type: "add", version: 0, track_ids: [a!] });
    await mine.apply({ type: "play" });
    // Naming the owner anywhere in the request changes nothing: the id comes from the token.
    const sneaky = await connect(stranger, `?device_id=${owner.id.replaceAll("-", "")}&user_id=${owner.id}`);
    expect(sneaky.state).toMatchObject({ version: 0, items: [] });
    await theirs.apply({ type: "volume", volume: 10 });
    expect(theirs.frames.some((f) => JSON.stringify(f).includes(a!))).toBe(false);
    expect(sneaky.frames.some((f) => JSON.stringify(f).includes(a!))).toBe(false);
    expect((await restState(stranger)).items).toEqual([]);
    expect(mine.state).toMatchObject({ version: 2, volume: 100 });
    expect(mine.frames.some((f) => f.type === "playback" && f.playback.volume === 10)).toBe(false);
    for (const d of [mine, theirs, sneaky]) d.close();
  });

  it("binds a socket to its access token: once it expires the socket is told and closed (4001); a fresh token keeps it", async () => {
    const user = await signedInUser();
    // Tokens that expire in about two seconds (iat is set back: the TTL is fixed).
    const shortLived = () => signAccessToken({ sub: user.id, role: "user", sid: user.sessionId, tv: 0 }, env.JWT_SECRET, new Date(Date.now() - (15 * 60 - 2) * 1000));
    const expiring = await connect({ accessToken: await shortLived() });
    const renewed = await connect({ accessToken: await shortLived() });
    const closed = new Promise<number>((resolve) => expiring.ws.addEventListener("close", (event) => resolve(event.code)));

    // another user's token cannot renew it; the owner's fresh token can
    const stranger = await signedInUser();
    expect(await renewed.request({ type: "reauth", token: stranger.accessToken })).toMatchObject({ type: "error", code: "invalid_token" });
    expect(await renewed.request({ type: "reauth", token: "not-a-jwt" })).toMatchObject({ type: "error", code: "invalid_token" });
    const reauth = await renewed.request({ type: "reauth", token: user.accessToken });
    expect(reauth).toMatchObject({ type: "reauthenticated" });
    expect(Date.parse(reauth.expires_at)).toBeGreaterThan(Date.now() + 10 * 60_000);

    await new Promise((resolve) => setTimeout(resolve, 3100));
    expect(await expiring.request({ type: "volume", volume: 40 })).toMatchObject({ type: "error", code: "token_expired" });
    expect(await closed).toBe(4001);
    // the change was not applied; the renewed socket still works and sees its own changes
    await renewed.apply({ type: "volume", volume: 30 });
    expect((await restState(user)).volume).toBe(30);
    renewed.close();
  });
});
