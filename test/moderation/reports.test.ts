import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { makeTrack } from "../tracks/fixtures";
import { posted } from "../posts/fixtures";
import { addMember, makeRoom } from "../chat/fixtures";
import { act, auditRows, moderator } from "./fixtures";

const report = (who: { headers: Record<string, string> }, body: Record<string, unknown>) => api("POST", "/v1/reports", { headers: who.headers, body });

describe("moderation: reports", () => {
  it("records a report with the target's author; one open report per reporter and target; again once closed", async () => {
    const [reporter, author, mod] = await Promise.all([signedInUser(), signedInUser(), moderator()]);
    const track = await makeTrack(author.id);
    const made = await report(reporter, { target_type: "track", target_id: track.id, reason_category: "copyright", details: "  My song, re-uploaded.  " });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({
      reporter_id: reporter.id, target_type: "track", target_id: track.id, target_user_id: author.id,
      reason_category: "copyright", details: "My song, re-uploaded.", status: "open", assigned_to: null, resolved_at: null,
    });

    const duplicate = await report(reporter, { target_type: "track", target_id: track.id, reason_category: "spam" });
    expect(duplicate.status).toBe(409);
    // someone else may report the same track
    expect((await report(await signedInUser(), { target_type: "track", target_id: track.id, reason_category: "spam" })).status).toBe(201);

    const dismissed = await api("PATCH", `/v1/moderation/reports/${made.body.id}`, { headers: mod.headers, body: { status: "dismissed", resolution_note: "Licensed" } });
    expect(dismissed.status, dismissed.text).toBe(200);
    expect(dismissed.body).toMatchObject({ status: "dismissed", resolved_by: mod.id, resolution_note: "Licensed" });
    expect(dismissed.body.resolved_at).not.toBeNull();
    expect((await report(reporter, { target_type: "track", target_id: track.id, reason_category: "copyright" })).status).toBe(201);
  });

  it("reports users, posts, comments and messages (a message only from inside its room); not oneself; not what is gone", async () => {
    const [reporter, author] = await Promise.all([signedInUser(), signedInUser()]);
    const post = await posted(author, "a post");
    const track = await makeTrack(author.id);
    const [comment] = await sql.query("INSERT INTO track_comments (track_id, user_id, content) VALUES ($1, $2, 'rude') RETURNING id", [track.id, author.id]);
    expect((await report(reporter, { target_type: "user", target_id: author.id, reason_category: "impersonation" })).body.target_user_id).toBe(author.id);
    expect((await report(reporter, { target_type: "post", target_id: post.id, reason_category: "spam" })).body.target_user_id).toBe(author.id);
    expect((await report(reporter, { target_type: "comment", target_id: comment!.id, reason_category: "harassment" })).body.target_user_id).toBe(author.id);

    const roomId = await makeRoom(author);
    const [message] = await sql.query(
      "INSERT INTO messages (id, room_id, sender_id, content, seq) VALUES (gen_random_uuid(), $1, $2, 'hate', 1) RETURNING id",
      [roomId, author.id],
    );
    const outsider = await report(reporter, { target_type: "message", target_id: message!.id, reason_category: "hate_speech" });
    expect(outsider.status).toBe(404);
    await addMember(roomId, reporter);
    expect((await report(reporter, { target_type: "message", target_id: message!.id, reason_category: "hate_speech" })).body.target_user_id).toBe(author.id);
    // a direct message: by its recipient only
    const [dm] = await sql.query("INSERT INTO direct_messages (sender_id, recipient_id, content) VALUES ($1, $2, 'threat') RETURNING id", [author.id, reporter.id]);
    expect((await report(await signedInUser(), { target_type: "message", target_id: dm!.id, reason_category: "harassment" })).status).toBe(404);
    expect((await report(reporter, { target_type: "message", target_id: dm!.id, reason_category: "harassment" })).body.target_user_id).toBe(author.id);

    const self = await report(author, { target_type: "post", target_id: post.id, reason_category: "spam" });
    expect(self.status).toBe(422);
    await sql.query("UPDATE posts SET deleted_at = now() WHERE id = $1", [post.id]);
    expect((await report(await signedInUser(), { target_type: "post", target_id: post.id, reason_category: "spam" })).status).toBe(404);
    expect((await report(reporter, { target_type: "track", target_id: crypto.randomUUID(), reason_category: "spam" })).status).toBe(404);
  });

  it("validates reports (422)", async () => {
    const reporter = await signedInUser();
    for (const body of [
      { target_type: "track", target_id: "nope", reason_category: "spam" },
      { target_type: "planet", target_id: crypto.randomUUID(), reason_category: "spam" },
      { target_type: "track", target_id: crypto.randomUUID(), reason_category: "boring" },
      { target_type: "track", target_id: crypto.randomUUID(), reason_category: "spam", details: "x".repeat(5001) },
      { target_type: "track", target_id: crypto.randomUUID(), reason_category: "spam", extra: 1 },
    ]) {
      expect((await report(reporter, body)).status, JSON.stringify(body).slice(0, 80)).toBe(422);
    }
  });

  it("is rate-limited per user under the reports scope of POSTING_LIMITER", async () => {
    const reporter = await signedInUser();
    const keys: string[] = [];
    const POSTING_LIMITER = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: false }) } as unknown as RateLimit;
    const refused = await api("POST", "/v1/reports", {
      headers: reporter.headers,
      body: { target_type: "user", target_id: crypto.randomUUID(), reason_category: "spam" },
      bindings: { POSTING_LIMITER },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(keys).toEqual([`reports:${reporter.id}`]);
  });
});

describe("moderation: the queue", () => {
  it("lists the open queue oldest first, filters by status, type and assignee, pages by cursor", async () => {
    const mod = await moderator();
    const author = await signedInUser();
    const reporters = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const marker = await makeTrack(author.id);
    const ids: string[] = [];
    for (const r of reporters) ids.push((await report(r, { target_type: "track", target_id: marker.id, reason_category: "spam" })).body.id);
    const userReport = (await report(reporters[0]!, { target_type: "user", target_id: author.id, reason_category: "spam" })).body.id;

    const mine = (items: Array<{ id: string }>) => items.map((i) => i.id).filter((id) => ids.includes(id) || id === userReport);
    // small pages through the whole open queue of tracks collect our reports in order
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/moderation/reports?target_type=track&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await api("GET", query, { headers: mod.headers });
      expect(page.status, page.text).toBe(200);
      seen.push(...mine(page.body.items));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const assigned = await api("PATCH", `/v1/moderation/reports/${ids[1]}`, { headers: mod.headers, body: { assigned_to: mod.id } });
    expect(assigned.body).toMatchObject({ assigned_to: mod.id, status: "in_review" });
    const myQueue = await api("GET", "/v1/moderation/reports?assigned_to=me", { headers: mod.headers });
    expect(myQueue.body.items.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
    const inReview = await api("GET", "/v1/moderation/reports?status=in_review&target_type=track&limit=100", { headers: mod.headers });
    expect(mine(inReview.body.items)).toEqual([ids[1]]);
    expect(await auditRows(mod.id, "moderation.report_update")).toHaveLength(1);

    // assigning to someone who is not staff is refused
    expect((await api("PATCH", `/v1/moderation/reports/${ids[0]}`, { headers: mod.headers, body: { assigned_to: author.id } })).status).toBe(422);
    expect((await api("PATCH", `/v1/moderation/reports/${ids[0]}`, { headers: mod.headers, body: {} })).status).toBe(422);
    expect((await api("PATCH", `/v1/moderation/reports/${crypto.randomUUID()}`, { headers: mod.headers, body: { status: "dismissed" } })).status).toBe(404);

    // acting on a report resolves it
    const acted = await act(mod, { action_type: "warn", user_id: author.id, reason: "Spam", report_id: userReport });
    expect(acted.status, acted.text).toBe(201);
    expect(acted.body.report_id).toBe(userReport);
    const resolved = await api("GET", "/v1/moderation/reports?status=resolved&target_type=user&limit=100", { headers: mod.headers });
    expect(resolved.body.items.find((i: { id: string }) => i.id === userReport)).toMatchObject({ status: "resolved", resolved_by: mod.id, resolution_note: "warn: Spam" });
    expect((await act(mod, { action_type: "warn", user_id: author.id, reason: "Spam", report_id: crypto.randomUUID() })).status).toBe(404);
    expect((await api("GET", "/v1/moderation/reports?cursor=garbage", { headers: mod.headers })).status).toBe(422);
  });
});
