/**
 * A permanent failure of the pipeline: the source is corrupt, truncated or not audio it can
 * decode. Retrying cannot help, so the consumer records the message on the track, where the
 * uploader reads it: it says what is wrong in plain words. Anything else thrown by the pipeline
 * (a failed read of the source, a failed write to the sink) is transient and worth a retry.
 */
export class MediaError extends Error {
  override readonly name = "MediaError";
}
