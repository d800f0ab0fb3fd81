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
 * Where an archive's text goes, piece by piece. `stamp` marks the one piece that only says when the
 * archive was made (`generated_at`): a consumer comparing two archives' content (cloud backups copy
 * the export only when it changed) leaves it out.
 */
export type ArchiveSink = (text: string, stamp?: boolean) => Promise<void>;

/**
 * Produces the JSON archive of everything `userId` owns, in pieces, into `write`:
 * `{"format", "generated_at", "user_id", "account", "profile", "settings", "consents", "two_factor",
 * <one array per list section>}`, page by page (bounded memory). Answers the rows written per list section.
 */
export async function streamArchive(db: Database, userId: string, now: Date, write: ArchiveSink): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const header = (await db.execute<{ doc: Record<string, unknown> }>(headerQuery(userId))).rows[0]?.doc;
  if (!header) throw new Error(`user ${userId} not found`);
  await write(`{"format":${JSON.stringify(EXPORT_FORMAT)}`);
  await write(`,"generated_at":${JSON.stringify(now.toISOString())}`, true);
  await write(`,"user_id":${JSON.stringify(userId)}`);
  for (const [name, value] of Object.entries(header)) {
    await write(`,${JSON.stringify(name)}:${JSON.stringify(isObject(value) ? withoutSecrets(value) : value)}`);
  }
  for (const section of LIST_SECTIONS) {
    await write(`,${JSON.stringify(section.name)}:[`);
    let cursor: string | null = null;
    let written = 0;
    for (;;) {
      const page: { rows: PageRow[] } = await db.execute<PageRow>(pageQuery(section, userId, cursor, EXPORT_PAGE_ROWS));
      const rows = page.rows;
      if (rows.length) await write((written ? "," : "") + rows.map((r) => JSON.stringify(withoutSecrets(r.row))).join(","));
      written += rows.length;
      if (rows.length < EXPORT_PAGE_ROWS) break;
      cursor = rows[rows.length - 1]!.cursor;
    }
    await write("]");
    counts[section.name] = written;
  }
  await write("}");
  return counts;
}

/**
 * Writes the archive (see `streamArchive`) to R2 as one object. The writer keeps at most one
 * multipart part in memory. A failure aborts the upload.
 */
export async function writeArchive(db: Database, bucket: R2Bucket, userId: string, exportId: string, now: Date): Promise<ArchiveResult> {
  const key = exportKey(userId, exportId);
  const writer = new R2TextWriter(bucket, key, {
    httpMetadata: { contentType: "application/json; charset=utf-8" },
    customMetadata: { userId, generatedAt: now.toISOString() },
  });
  try {
    const counts = await streamArchive(db, userId, now, (text) => writer.write(text));
    await writer.close();
    return { key, bytes: writer.bytes, counts };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
