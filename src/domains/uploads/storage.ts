import { toHex } from "../../lib/crypto";
import { id3v2Length, MPEG_PROBE_BYTES, SNIFF_HEAD_BYTES, sniffMedia, sniffMpegAudio, type SniffedMedia } from "../../media/sniff";

/** R2's error code for an upload that was completed or aborted (or never existed). */
const NO_SUCH_UPLOAD = /\b10024\b|NoSuchUpload|no such upload/i;

export const isNoSuchUpload = (err: unknown) => NO_SUCH_UPLOAD.test(err instanceof Error ? err.message : String(err));

/** A short, safe reason from an R2 error, for a problem's detail. */
export const storageReason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

async function readRange(media: R2Bucket, key: string, offset: number, length: number): Promise<Uint8Array | null> {
  const object = await media.get(key, { range: { offset, length } });
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

/**
 * The real type of a stored object from its first bytes (a range read, never the whole object).
 * An MP3 may open with an ID3v2 tag larger than the head (embedded cover art): the tag's size says
 * where its first frame is, and a second range read looks there.
 */
export async function sniffObject(media: R2Bucket, key: string, size: number): Promise<SniffedMedia | null> {
  const head = await readRange(media, key, 0, Math.min(size, SNIFF_HEAD_BYTES));
  if (!head) return null;
  const sniffed = sniffMedia(head);
  if (sniffed) return sniffed;
  const tag = id3v2Length(head);
  if (tag === 0 || tag >= size || tag + MPEG_PROBE_BYTES <= head.length) return null;
  const probe = await readRange(media, key, tag, Math.min(size - tag, MPEG_PROBE_BYTES));
  return probe ? sniffMpegAudio(probe) : null;
}

/** SHA-256 (lowercase hex) of a stored object, streamed through the runtime's DigestStream: memory stays flat whatever the size. */
export async function sha256OfObject(media: R2Bucket, key: string): Promise<string | null> {
  const object = await media.get(key);
  if (!object) return null;
  const digest = new crypto.DigestStream("SHA-256");
  await object.body.pipeTo(digest);
  return toHex(await digest.digest);
}
