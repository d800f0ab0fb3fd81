import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";
import { comment, idsOf, list, remove, replies } from "./fixtures";

/** Sets comments' created_at in the order given, a minute apart (oldest first). */
async function ageInOrder(ids: string[]) {
  for (const [i, id] of ids.entries()) {
    await sql.query("UPDATE track_comments SET created_at = $2 WHERE id = $1", [id, new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString()]);
  }
}

describe("GET /v1/tracks/:id/comments (threads)", () => {
  it("lists top-level comments newest first, page by page, each with its live reply count", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const tops = [];
    for (let i = 0; i < 5; i++) tops.push(await comment(track.id, i % 2 ? fan : owner, { content: `top ${i}` }));
    await ageInOrder(tops);
    // Two of them share a time: the id breaks the tie, and no page loses or repeats one.
    await sql.query("UPDATE track_comments SET created_at = (SELECT created_at FROM track_comments WHERE id = $2) WHERE id = $1", [tops[2], tops[1]]);
    const r1 = await comment(track.id, fan, { parent_comment_id: tops[4] });
    await comment(track.id, owner, { parent_comment_id: tops[4] });
    const deadReply = await comment(track.id, owner, { parent_comment_id: tops[4] });
    expect((await remove(deadReply, owner)).status).toBe(204);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: Awaited<ReturnType<typeof list>> = await list(track.id, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res.body));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    // Newest first; tops[1] and tops[2] tie on created_at and come by id, descending.
    const tied = [tops[1]!, tops[2]!].sort().reverse();
    expect(seen).toEqual([tops[4], tops[3], ...tied, tops[0]]);
    expect(seen).not.toContain(r1);

    const first = (await list(track.id, "?limit=1")).body.items[0];
    expect(first).toMatchObject({ id: tops[4], content: "top 4", reply_count: 2, deleted: false, author: { id: owner.id } });
  });

  it("keeps a deleted comment with live replies as a placeholder, and drops it once none is left", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const thread = await comment(track.id, fan, { content: "secret words", timestamp_seconds: 5 });
    const lonely = await comment(track.id, fan);
    const reply = await comment(track.id, owner, { parent_comment_id: thread });
    expect((await remove(thread, fan)).status).toBe(204);
    expect((await remove(lonely, fan)).status).toBe(204);

    const res = await list(track.id);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: thread, deleted: true, content: null, author: null, timestamp_seconds: null, reply_count: 1 }),
    ]);
    expect(res.text).not.toContain("secret words");
    expect(idsOf((await replies(thread)).body)).toEqual([reply]);

    expect((await remove(reply, owner)).status).toBe(204);
    expect((await list(track.id)).body).toEqual({ items: [], next_cursor: null });
    expect((await replies(thread)).status).toBe(404);
  });

  it("hides comments of banned or deleted accounts like deleted ones", async () => {
    const owner = await signedInUser();
    const troll = await signedInUser();
    const leaver = await signedInUser();
    const track = await makeTrack(owner.id);
    const trollTop = await comment(track.id, troll);
    const leaverTop = await comment(track.id, leaver);
    const answered = await comment(track.id, troll);
    const answer = await comment(track.id, owner, { parent_comment_id: answered });
    await comment(track.id, troll, { parent_comment_id: leaverTop }); // a hidden reply keeps no thread alive
    await banUser(troll.id);
    await softDeleteUser(leaver.id);
    const res = await list(track.id);
    expect(res.body.items).toEqual([expect.objectContaining({ id: answered, deleted: true, author: null, content: null, reply_count: 1 })]);
    expect(idsOf((await replies(answered)).body)).toEqual([answer]);
    expect(idsOf(res.body)).not.toContain(trollTop);
    expect((await replies(leaverTop)).status).toBe(404);
  });

  it("answers anyone who may see the track; others' private tracks are 404 to anonymous and signed-in users alike", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const top = await comment(track.id, fan);
    expect(idsOf((await list(track.id)).body)).toEqual([top]);
    expect(idsOf((await replies(top)).body)).toEqual([]);

    const priv = await makeTrack(owner.id, { visibility: "private" });
    const note = await comment(priv.id, owner);
    expect((await list(priv.id)).status).toBe(404);
    expect((await list(priv.id, "", fan)).status).toBe(404);
    expect((await replies(note, "", fan)).status).toBe(404);
    expect(idsOf((await list(priv.id, "", owner)).body)).toEqual([note]);

    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [track.id]);
    expect((await list(track.id)).status).toBe(404);
    expect((await replies(top)).status).toBe(404);
    expect((await list(crypto.randomUUID())).status).toBe(404);
    expect((await replies(crypto.randomUUID())).status).toBe(404);

    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await list(priv.id, "", banned)).status).toBe(403);
    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    expect((await list(priv.id, "", gone)).status).toBe(401);
  });
});

describe("GET /v1/tracks/:id/comments (timed)", () => {
  it("returns the timed comments of a window, replies included, by position in the track", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id, { durationMs: 300_000 });
    const at = async (s: number | null, extra: Record<string, unknown> = {}) => comment(track.id, fan, { timestamp_seconds: s, ...extra });
    const c9 = await at(9);
    const c10 = await at(10);
    const c15a = await at(15);
    const c15b = await at(15);
    const reply19 = await at(19, { parent_comment_id: c10 });
    const c20 = await at(20);
    const untimed = await at(null);
    const dead = await at(12);
    const c100 = await at(100);
    const c299 = await at(299);
    expect((await remove(dead, fan)).status).toBe(204);
    await ageInOrder([c15b, c15a]); // same second: the older first

    const window = await list(track.id, "?at=10");
    expect(window.status).toBe(200);
    expect(window.body).toEqual({ items: expect.any(Array), next_cursor: null });
    expect(idsOf(window.body)).toEqual([c10, c15b, c15a, reply19]);
    expect(window.body.items.map((c: { timestamp_seconds: number }) => c.timestamp_seconds)).toEqual([10, 15, 15, 19]);
    expect(window.body.items[3].parent_comment_id).toBe(c10);
    expect(idsOf((await list(track.id, "?at=10&span=11")).body)).toEqual([c10, c15b, c15a, reply19, c20]);
    expect(idsOf((await list(track.id, "?at=0&span=600")).body)).toEqual([c9, c10, c15b, c15a, reply19, c20, c100, c299]);
    expect(idsOf((await list(track.id, "?at=21&span=5")).body)).toEqual([]);

    const all = await list(track.id, "?timed=true");
    expect(idsOf(all.body)).toEqual([c9, c10, c15b, c15a, reply19, c20, c100, c299]);
    expect(idsOf(all.body)).not.toContain(untimed);
    expect(idsOf((await list(track.id, "?timed=false&limit=100")).body)).toContain(untimed);
  });

  it("validates the timed views' parameters (422)", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const cursor = (await list(track.id)).body.next_cursor ?? "eyJ4IjoxfQ";
    for (const query of ["?at=-1", "?at=1.5", "?at=0&span=0", "?at=0&span=601", "?span=10", "?at=0&timed=true", "?timed=yes", `?timed=true&cursor=${cursor}`, `?at=3&cursor=${cursor}`]) {
      const res = await list(track.id, query);
      expect(res.status, query).toBe(422);
      expect(res.body.errors?.[0]?.path, query).toMatch(/^query\./);
    }
  });
});

describe("GET /v1/comments/:id/replies", () => {
  it("lists a thread's live replies oldest first, page by page", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const top = await comment(track.id, owner);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await comment(track.id, i % 2 ? owner : fan, { parent_comment_id: top }));
    await ageInOrder(answers);
    expect((await remove(answers[2]!, fan)).status).toBe(204);
    const live = [answers[0], answers[1], answers[3], answers[4]];

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: Awaited<ReturnType<typeof replies>> = await replies(top, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res.body));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(live);
    expect((await replies(top, "?cursor=nope")).status).toBe(422);
    expect((await replies("nope")).status).toBe(422);
  });
});
