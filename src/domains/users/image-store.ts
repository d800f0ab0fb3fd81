import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { randomToken, toHex } from "../../lib/crypto";

/** Profile images: PNG, JPEG or WebP up to 5 MiB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const IMAGE_KINDS = ["avatars", "banners"] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** The profile column each kind of image fills. */
const PROFILE_COLUMN: Record<ImageKind, "avatar_url" | "banner_url"> = { avatars: "avatar_url", banners: "banner_url" };

/** Served for a year and never revalidated: every upload gets a new random name. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
} as const;
export type ImageType = keyof typeof TYPES;

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** The real type of an image from its magic bytes, whatever it claims to be; null if none of ours. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (bytes.length >= 12 && startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

/** The declared type must be one we take, and the bytes must be that type: anything else is a 415. */
export function checkImage(bytes: Uint8Array, contentType: string | undefined): ImageType {
  const declared = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(declared in TYPES)) {
    throw new ApiError("unsupported_media_type", "Send the image as image/png, image/jpeg or image/webp.");
  }
  if (bytes.byteLength > MAX_IMAGE_BYTES) throw new ApiError("payload_too_large", `An image may be at most ${MAX_IMAGE_BYTES} bytes.`);
  const actual = sniffImageType(bytes);
  if (actual !== declared) {
    throw new ApiError("unsupported_media_type", `The body is not a ${declared.slice(6).toUpperCase()} image.`);
  }
  return actual;
}

async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", bytes));
}

/** `filename` of an optional Content-Disposition header, made safe to keep: no path, no control characters. */
function originalFilename(c: Context<AppEnv>, fallback: string): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(c.req.header("content-disposition") ?? "");
  let name = match?.[1] ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // not percent-encoded: keep it as sent
  }
  name = name.replace(/^.*[\\/]/, "").replace(/\p{Cc}/gu, "").trim().slice(0, 255);
  return name || fallback;
}

/** Runs `work` after the response when the platform allows it (R2 clean-up need not delay the user). */
function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): Promise<unknown> | void {
  const settled = work.catch((err) => c.var.log.warn("media: clean-up failed", { error: err instanceof Error ? err.message : String(err) }));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    return settled; // no execution context (app.fetch without one): finish before answering
  }
}

export interface StoredImage {
  kind: ImageKind;
  url: string;
  file_id: string;
  mime_type: ImageType;
  file_size: number;
  file_hash: string;
}

/**
 * Stores a profile image: the object goes to R2 under `<kind>/<userId>/<random>.<ext>` (content
 * type and immutable caching on the object), then one statement records the `files` row, points
 * the profile at it and retires the image it replaces. Uploading an image this user already has
 * (same SHA-256) reuses that file instead of storing a copy. The replaced image's object is deleted
 * after the response: once replaced it is no longer anyone's profile picture, and keeping every
 * past avatar would hoard personal data. One database round trip.
 */
export async function storeProfileImage(c: Context<AppEnv>, kind: ImageKind, userId: string, bytes: Uint8Array, type: ImageType): Promise<StoredImage> {
  const ext = TYPES[type];
  const name = `${randomToken(18)}.${ext}`;
  const key = `${kind}/${userId}/${name}`;
  const url = `/v1/media/${key}`;
  const hash = await sha256OfBytes(bytes);
  const media = c.env.MEDIA;
  await media.put(key, bytes, { httpMetadata: { contentType: type, cacheControl: IMMUTABLE }, sha256: hash, customMetadata: { userId } });

  const column = sql.identifier(PROFILE_COLUMN[kind]);
  const otherColumn = sql.identifier(PROFILE_COLUMN[kind === "avatars" ? "banners" : "avatars"]);
  let rows: { id: string; url: string; storage_path: string; retired: string[] | null }[];
  try {
    ({ rows } = await c.var.db.execute<(typeof rows)[number]>(sql`
      WITH stored AS (
        INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, storage_provider, url, file_hash, metadata, is_public)
        VALUES (${userId}, ${name}, ${originalFilename(c, `${kind.slice(0, -1)}.${ext}`)}, ${type}, ${bytes.byteLength}, ${key}, 'r2', ${url}, ${hash},
                ${JSON.stringify({ purpose: kind.slice(0, -1) })}::jsonb, true)
        ON CONFLICT (user_id, file_hash) WHERE deleted_at IS NULL AND file_hash IS NOT NULL
        DO UPDATE SET updated_at = now()
         -- the same bytes stored as another kind of file (not a public profile image) are not reused
         WHERE files.storage_path ~ '^(avatars|banners)/'
        RETURNING id, url, storage_path
      ), before AS (
        SELECT avatar_url, banner_url FROM user_profiles WHERE user_id = ${userId}
      ), profile AS (
        UPDATE user_profiles SET ${column} = (SELECT url FROM stored)
         WHERE user_id = ${userId} AND EXISTS (SELECT 1 FROM stored)
        RETURNING user_id
      ), retired AS (
        UPDATE files f SET deleted_at = now()
         WHERE f.user_id = ${userId} AND f.deleted_at IS NULL
           AND f.storage_path ~ '^(avatars|banners)/'
           AND f.url = (SELECT ${column} FROM before)
           AND f.url IS DISTINCT FROM (SELECT url FROM stored)
           -- still in use as the other picture (the same image as avatar and banner)
           AND f.url IS DISTINCT FROM (SELECT ${otherColumn} FROM before)
           AND EXISTS (SELECT 1 FROM profile)
        RETURNING f.storage_path
      )
      SELECT s.id, s.url, s.storage_path, (SELECT array_agg(storage_path) FROM retired) AS retired
        FROM stored s`));
  } catch (err) {
    await afterResponse(c, media.delete(key));
    throw err;
  }
  const row = rows[0];
  if (!row) {
    await afterResponse(c, media.delete(key));
    throw new ApiError("conflict", "This image is already stored as another kind of file.");
  }
  const obsolete = [...(row.retired ?? []), ...(row.storage_path === key ? [] : [key])];
  if (obsolete.length) await afterResponse(c, media.delete(obsolete));
  return { kind, url: row.url, file_id: row.id, mime_type: type, file_size: bytes.byteLength, file_hash: hash };
}
