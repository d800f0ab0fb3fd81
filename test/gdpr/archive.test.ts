import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { R2_MIN_PART_BYTES, R2TextWriter } from "../../src/domains/gdpr/archive-writer";
import { EXPORT_PAGE_ROWS, writeArchive } from "../../src/domains/gdpr/export-archive";
import { withoutSecrets } from "../../src/domains/gdpr/export-sections";
import { createDb } from "../../src/db/client";
import { createUser, sql, unique } from "../helpers/db";

describe("the archive writer", () => {
  it("stores a small object with one put", async () => {
    const key = `test-archives/${unique()}.json`;
    const writer = new R2TextWriter(env.MEDIA, key);
    await writer.write('{"a":');
    await writer.write("1}");
    await writer.close();
    expect(await (await env.MEDIA.get(key))!.text()).toBe('{"a":1}');
  });

  it("streams a large object as equal multipart parts, byte for byte", async () => {
    const key = `test-archives/${unique()}.json`;
    const writer = new R2TextWriter(env.MEDIA, key);
    // ~11.5 MiB in uneven pieces, multi-byte characters included: parts must be cut on bytes.
    const piece = `"é${"x".repeat(99_997)}",`;
    const pieces = Math.ceil((2.3 * R2_MIN_PART_BYTES) / piece.length);
    let expected = "";
    for (let i = 0; i < pieces; i++) {
      await writer.write(piece);
      expected += piece;
    }
    const object = await writer.close();
    const bytes = new TextEncoder().encode(expected).length;
    expect(writer.bytes).toBe(bytes);
    expect(object.size).toBe(bytes);
    expect(object.etag).toMatch(/-3$/); // a multipart object of three parts (5 + 5 + the rest MiB)
    expect(await (await env.MEDIA.get(key))!.text()).toBe(expected);
  });

  it("aborts a started multipart upload and leaves no object", async () => {
    const key = `test-archives/${unique()}.json`;
    const writer = new R2TextWriter(env.MEDIA, key);
    await writer.write("y".repeat(R2_MIN_PART_BYTES + 10));
    await writer.abort();
    expect(await env.MEDIA.head(key)).toBeNull();
  });
});

describe("the archive contents", () => {
  it("reads every row of a section larger than one page, each once", async () => {
    const user = await createUser();
    const n = EXPORT_PAGE_ROWS * 2 + 3;
    await sql.query("INSERT INTO search_queries (user_id, query) SELECT $1, 'q' || i FROM generate_series(1, $2) AS i", [user.id, n]);
    const result = await writeArchive(createDb(env), env.MEDIA, user.id, `paging${unique()}`, new Date());
    expect(result.counts.search_history).toBe(n);
    const archive = JSON.parse(await (await env.MEDIA.get(result.key))!.text());
    const queries = new Set(archive.search_history.map((s: { query: string }) => s.query));
    expect(queries.size).toBe(n);
  });

  it("drops credential-like strings whatever the section, and keeps facts", () => {
    expect(
      withoutSecrets({
        token_hash: "abc",
        access_token: "v1.x",
        encrypted_password: "k:iv:ct",
        totp_secret: "v1.s",
        password_hash: "$2b$",
        totp_enabled: true,
        token_version: 3,
        file_hash: "f".repeat(64),
        last_password_change_at: "2026-01-01T00:00:00Z",
        title: "my token song",
      }),
    ).toEqual({ totp_enabled: true, token_version: 3, file_hash: "f".repeat(64), last_password_change_at: "2026-01-01T00:00:00Z", title: "my token song" });
  });
});
