import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";
import { codeOf, makeRoom, memberCount, membershipRow, staffedRoom } from "./fixtures";

describe("creating a room", () => {
  it("makes the creator its owner, counts them, and answers the room with a shareable code", async () => {
    const owner = await signedInUser();
    const slug = `synths-${uniq()}`;
    const res = await api("POST", "/v1/rooms", {
      headers: owner.headers,
      body: { name: "Synths", slug, topic: "patches", rules: "be kind", welcome_message: "hi", slow_mode_seconds: 10, max_members: 50, is_nsfw: false, message_retention_days: 30 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Synths", slug, room_type: "public", has_password: false, member_count: 1, slow_mode_seconds: 10, max_members: 50, topic: "patches", is_archived: false });
    expect(res.body.room_code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(res.body.creator).toEqual({ id: owner.id, username: owner.username });
    expect(res.body.my_membership).toMatchObject({ role: "owner", permissions: { invite: true, manage_messages: true, manage_members: true, manage_room: true } });
    expect(await memberCount(res.body.id)).toBe(1);
    expect((await membershipRow(res.body.id, owner.id))!.role).toBe("owner");
  });

  it("stores a password as a bcrypt hash and never returns it", async () => {
    const owner = await signedInUser();
    const res = await api("POST", "/v1/rooms", { headers: owner.headers, body: { name: "Locked", room_type: "private", password: "open sesame" } });
    expect(res.status).toBe(201);
    expect(res.body.has_password).toBe(true);
    expect(res.text).not.toContain("password_hash");
    expect(res.text).not.toContain("open sesame");
    const [row] = await sql.query("SELECT password_hash, is_private FROM rooms WHERE id = $1", [res.body.id]);
    expect(row!.password_hash).toMatch(/^\$2[aby]\$12\$/);
    expect(row!.is_private).toBe(true);
  });

  it("refuses a taken slug (409), a slug on a private room and bad settings (422)", async () => {
    const owner = await signedInUser();
    const slug = `taken-${uniq()}`;
    await makeRoom(owner, { slug });
    const again = await api("POST", "/v1/rooms", { headers: owner.headers, body: { name: "x", slug } });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body.errors).toEqual([{ path: "json.slug", message: "is already taken" }]);
    for (const body of [
      { name: "x", slug: `p-${uniq()}`, room_type: "private" },
      { name: "" },
      { name: "x", slow_mode_seconds: 3601 },
      { name: "x", max_members: 0 },
      { name: "x", room_type: "dm" },
      { name: "x", password: "abc" },
      { name: "x", unknown: 1 },
    ]) {
      const res = await api("POST", "/v1/rooms", { headers: owner.headers, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
  });
});

describe("reading a room", () => {
  it("shows a public room to anyone, with the viewer's membership when they are a member", async () => {
    const { room, member } = await staffedRoom();
    const anonymous = await api("GET", `/v1/rooms/${room.id}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ id: room.id, member_count: 5, my_membership: null });
    const mine = await api("GET", `/v1/rooms/${room.id}`, { headers: member.headers });
    expect(mine.body.my_membership).toMatchObject({ role: "member", notification_level: "all", is_muted: false, muted_until: null, last_read_seq: 0 });
    expect(mine.body.my_membership.permissions).toEqual({ invite: false, manage_messages: false, manage_members: false, manage_room: false });
  });

  it("hides a private room from everyone but its members (404), and its code from members who may not invite", async () => {
    const { room, owner, member, outsider } = await staffedRoom({ room_type: "private" });
    expect((await api("GET", `/v1/rooms/${room.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${room.id}`, { headers: outsider.headers })).status).toBe(404);
    const asMember = await api("GET", `/v1/rooms/${room.id}`, { headers: member.headers });
    expect(asMember.status).toBe(200);
    expect(asMember.body.room_code).toBeNull();
    expect((await api("GET", `/v1/rooms/${room.id}`, { headers: owner.headers })).body.room_code).toBe(await codeOf(room.id));
    expect((await api("GET", "/v1/rooms/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await api("GET", "/v1/rooms/not-a-uuid")).status).toBe(422);
  });

  it("resolves a room code, private rooms included, to what one needs to join", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner, { room_type: "private", password: "letmein" });
    const code = await codeOf(room.id);
    const res = await api("GET", `/v1/rooms/by-code/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: room.id, name: room.name, room_type: "private", has_password: true, member_count: 1 });
    expect((await api("GET", "/v1/rooms/by-code/ZZZZZZZZ")).status).toBe(404);
    expect((await api("GET", "/v1/rooms/by-code/no!")).status).toBe(422);
  });
});

describe("changing a room", () => {
  it("lets the owner and admins change settings, not moderators or members", async () => {
    const { room, owner, admin, moderator, member, outsider } = await staffedRoom();
    const byOwner = await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: { name: "Renamed", slow_mode_seconds: 30, topic: null } });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ name: "Renamed", slow_mode_seconds: 30, topic: null, my_membership: { role: "owner" } });
    expect((await api("PATCH", `/v1/rooms/${room.id}`, { headers: admin.headers, body: { description: "by admin" } })).body.description).toBe("by admin");
    for (const who of [moderator, member, outsider]) {
      expect((await api("PATCH", `/v1/rooms/${room.id}`, { headers: who.headers, body: { name: "nope" } })).status).toBe(403);
    }
    expect((await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: {} })).status).toBe(422);
  });

  it("sets and clears the password, and refuses a max_members below the member count (409)", async () => {
    const { room, owner } = await staffedRoom();
    const set = await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: { password: "hunter22" } });
    expect(set.body.has_password).toBe(true);
    const cleared = await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: { password: null } });
    expect(cleared.body.has_password).toBe(false);
    const tooSmall = await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: { max_members: 2 } });
    expect(tooSmall.status).toBe(409);
    expect(tooSmall.body.detail).toMatch(/more members/);
    expect((await api("PATCH", `/v1/rooms/${room.id}`, { headers: owner.headers, body: { max_members: 5 } })).body.max_members).toBe(5);
  });

  it("archives and unarchives (owner and admins, idempotently); an archived room takes no joins", async () => {
    const { room, admin, moderator } = await staffedRoom();
    expect((await api("POST", `/v1/rooms/${room.id}/archive`, { headers: moderator.headers })).status).toBe(403);
    const archived = await api("POST", `/v1/rooms/${room.id}/archive`, { headers: admin.headers });
    expect(archived.status).toBe(200);
    expect(archived.body.is_archived).toBe(true);
    const again = await api("POST", `/v1/rooms/${room.id}/archive`, { headers: admin.headers });
    expect(again.body.archived_at).toBe(archived.body.archived_at);
    const joiner = await signedInUser();
    expect((await api("POST", `/v1/rooms/${room.id}/join`, { headers: joiner.headers })).status).toBe(409);
    const back = await api("POST", `/v1/rooms/${room.id}/unarchive`, { headers: admin.headers });
    expect(back.body).toMatchObject({ is_archived: false, archived_at: null });
    expect((await api("POST", `/v1/rooms/${room.id}/join`, { headers: joiner.headers })).status).toBe(200);
  });

  it("deletes a room for its owner only (again: 204, for the owner); then it is 404 everywhere", async () => {
    const { room, owner, admin, member } = await staffedRoom();
    expect((await api("DELETE", `/v1/rooms/${room.id}`, { headers: admin.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}`, { headers: owner.headers })).status).toBe(204);
    const [row] = await sql.query("SELECT deleted_at FROM rooms WHERE id = $1", [room.id]);
    expect(row!.deleted_at).not.toBeNull();
    expect((await api("DELETE", `/v1/rooms/${room.id}`, { headers: owner.headers })).status).toBe(204);
    for (const [method, path, who] of [
      ["GET", `/v1/rooms/${room.id}`, owner],
      ["PATCH", `/v1/rooms/${room.id}`, owner],
      ["DELETE", `/v1/rooms/${room.id}`, admin],
      ["POST", `/v1/rooms/${room.id}/join`, await signedInUser()],
      ["POST", `/v1/rooms/${room.id}/leave`, member],
      ["GET", `/v1/rooms/${room.id}/members`, member],
      ["GET", `/v1/rooms/by-code/${await codeOf(room.id)}`, member],
    ] as const) {
      const res = await api(method, path, { headers: who.headers, body: method === "PATCH" ? { name: "x" } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const mine = await api("GET", "/v1/me/rooms?limit=100", { headers: member.headers });
    expect(mine.body.items.map((r: { id: string }) => r.id)).not.toContain(room.id);
  });
});

describe("discovering rooms", () => {
  it("lists public, live rooms by name, most recently active first, page by page", async () => {
    const owner = await signedInUser();
    const tag = uniq();
    const [a, b, c] = [await makeRoom(owner, { name: `Jazz ${tag} a` }), await makeRoom(owner, { name: `jazz ${tag} b` }), await makeRoom(owner, { name: `JAZZ ${tag} c` })];
    await makeRoom(owner, { name: `Jazz ${tag} private`, room_type: "private" });
    const archived = await makeRoom(owner, { name: `Jazz ${tag} archived` });
    await api("POST", `/v1/rooms/${archived.id}/archive`, { headers: owner.headers });
    await sql.query("UPDATE rooms SET last_activity_at = now() - interval '1 hour' WHERE id = $1", [a.id]);
    await sql.query("UPDATE rooms SET last_activity_at = now() WHERE id = $1", [b.id]);
    const first = await api("GET", `/v1/rooms?q=${encodeURIComponent(`jazz ${tag}`)}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    const second = await api("GET", `/v1/rooms?q=${encodeURIComponent(`jazz ${tag}`)}&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual([c.id]);
    expect(second.body.next_cursor).toBeNull();
    expect((await api("GET", `/v1/rooms?q=${encodeURIComponent("%")}${tag}`)).body.items).toEqual([]);
    expect((await api("GET", "/v1/rooms?cursor=nonsense")).status).toBe(422);
    expect((await api("GET", "/v1/rooms?limit=101")).status).toBe(422);
  });
});
