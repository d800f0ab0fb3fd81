import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { mediaProcessMessage } from "../media/messages";

/** What a conversion row of the HLS pipeline says it makes: the MP3 ladder of DESIGN §5. */
export const HLS_TARGET = { format: "hls", quality: "mp3 64k/128k/256k" } as const;

/**
 * A pending or processing track whose row has not changed for this long is stuck (its message was
 * lost, or dead-lettered without a word): its owner may reprocess it. A live run writes its
 * progress every 10 %, so this is many times longer than any gap of a healthy run.
 */
export const STUCK_AFTER_MINUTES = 15;

/** Said on the conversion whose message could not be queued (the track stays pending). */
export const NOT_QUEUED = "The processing job could not be queued.";

/**
 * Queues the processing run of `conversionId`. If the queue refuses, the track stays pending and its
 * conversion is marked failed (best effort), which lets the owner reprocess it at once; should even
 * that write fail, the track is reprocessable once stuck (STUCK_AFTER_MINUTES). Either way: 503.
 */
export async function enqueueProcessing(db: Database, env: Pick<Env, "MEDIA_QUEUE">, trackId: string, conversionId: string): Promise<void> {
  try {
    await env.MEDIA_QUEUE.send(mediaProcessMessage(trackId, conversionId));
  } catch (err) {
    await db
      .execute(sql`UPDATE file_conversions SET status = 'failed', error_message = ${NOT_QUEUED} WHERE id = ${conversionId} AND status = 'pending'`)
      .catch(() => undefined);
    throw new ApiError(
      "service_unavailable",
      `Track ${trackId} is saved, but its processing could not be queued. Queue it again with POST /v1/tracks/${trackId}/reprocess.`,
      { headers: { "Retry-After": "30", Location: `/v1/tracks/${trackId}` }, cause: err },
    );
  }
}
