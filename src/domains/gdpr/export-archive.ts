import type { Database } from "../../db/client";
import { R2TextWriter } from "./archive-writer";
import { exportKey } from "./export-link";
import { headerQuery, LIST_SECTIONS, pageQuery, withoutSecrets } from "./export-sections";

/** Rows per query: bounded memory per page, and far below Neon's HTTP response limit. */
export const EXPORT_PAGE_ROWS = 250;

/** Version of the archive's layout, written at its top. */
export const EXPORT_FORMAT = "veza-export/1";

export interface ArchiveResult {
  key: string;
  bytes: number;
  /** Rows written per list section. */
  counts: Record<string, number>;
}

type PageRow = { cursor: string; row: Record<string, unknown> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Writes the JSON archive of everything `userId` owns to R2 as one object:
 * `{"format", "generated_at", "user_id", "account", "profile", "settings", "consents", "two_factor",
 * <one array per list section>}`. It streams: each page of rows is serialised and handed to the
 * writer, which keeps at most one multipart part in memory. A failure aborts the upload.
 */
export async function writeArchive(db: Database, bucket: R2Bucket, userId: string, exportId: string, now: Date): Promise<ArchiveResult> {
  const key = exportKey(userId, exportId);
  const writer = new R2TextWriter(bucket, key, {
    httpMetadata: { contentType: "application/json; charset=utf-8" },
    customMetadata: { userId, generatedAt: now.toISOString() },
  });
  const counts: Record<string, number> = {};
  try {
    const header = (await db.execute<{ doc: Record<string, unknown> }>(headerQuery(userId))).rows[0]?.doc;
    if (!header) throw new Error(`user ${userId} not found`);
    await writer.write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"generated_at":${JSON.stringify(now.toISOString())},"user_id":${JSON.stringify(userId)}`);
    for (const [name, value] of Object.entries(header)) {
      await writer.write(`,${JSON.stringify(name)}:${JSON.stringify(isObject(value) ? withoutSecrets(value) : value)}`);
    }
    for (const section of LIST_SECTIONS) {
      await writer.write(`,${JSON.stringify(section.name)}:[`);
      let cursor: string | null = null;
      let written = 0;
      for (;;) {
        const page: { rows: PageRow[] } = await db.execute<PageRow>(pageQuery(section, userId, cursor, EXPORT_PAGE_ROWS));
        const rows = page.rows;
        if (rows.length) await writer.write((written ? "," : "") + rows.map((r) => JSON.stringify(withoutSecrets(r.row))).join(","));
        written += rows.length;
        if (rows.length < EXPORT_PAGE_ROWS) break;
        cursor = rows[rows.length - 1]!.cursor;
      }
      await writer.write("]");
      counts[section.name] = written;
    }
    await writer.write("}");
    await writer.close();
    return { key, bytes: writer.bytes, counts };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
