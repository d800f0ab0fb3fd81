import { describe, expect, it } from "vitest";
import { createUser, sql } from "../helpers/db";
import { SEARCH_WINDOW } from "../../src/domains/search/search";
import { idsFor, makeTrack, searchFor, word } from "./fixtures";

describe("GET /v1/search: the candidate window and one-letter words", () => {
  it(`ranks only the ${SEARCH_WINDOW} newest matches: an older, better match is reached by refining the words`, async () => {
    const owner = await createUser();
    const [tag, refine] = [word(), word()];
    // The best match of `tag` (it three times in its name), but older than the window.
    const [{ id: old }] = (await sql.query(
      "INSERT INTO playlists (user_id, name, visibility, created_at) VALUES ($1, $2, 'public', now() - interval '1 year') RETURNING id",
      [owner.id, `${tag} ${tag} ${tag} ${refine}`],
    )) as [{ id: string }];
    await sql.query(
      `INSERT INTO playlists (user_id, name, visibility, created_at)
         SELECT $1, $2 || ' ' || g, 'public', now() - g * interval '1 minute' FROM generate_series(1, $3::int) g`,
      [owner.id, tag, SEARCH_WINDOW],
    );
    const first = await searchFor(tag, null, { limit: "5" });
    expect(first.items).toHaveLength(5);
    expect(first.items.map((i) => i.id)).not.toContain(old);
    expect(first.next_cursor).not.toBeNull();
    expect(await idsFor(`${tag} ${refine}`)).toEqual([old]);
  });

  it("matches a one-letter word as a whole word, and two letters or more as a prefix", async () => {
    const owner = await createUser();
    const tag = word();
    const [a, apple] = [await makeTrack(owner.id, { title: `A day ${tag}` }), await makeTrack(owner.id, { title: `Apple ${tag}` })];
    expect(await idsFor(`a ${tag}`)).toEqual([a.id]);
    expect(await idsFor(`Á ${tag}`)).toEqual([a.id]);
    expect(await idsFor(`ap ${tag}`)).toEqual([apple.id]);
    expect(await idsFor(`d ${tag}`)).toEqual([]);
    expect(await idsFor(`da ${tag}`)).toEqual([a.id]);
  });
});
