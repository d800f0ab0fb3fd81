import type { QueueMessage } from "../../env";

/** Queue message (MEDIA_QUEUE): turn a track's original into HLS renditions and its analysis. */
export const MEDIA_PROCESS = "media.process";

export interface MediaProcessMessage extends QueueMessage {
  type: typeof MEDIA_PROCESS;
  trackId: string;
  /** The file_conversions row this run fills; its id names the run's R2 prefix, so a redelivery overwrites rather than duplicates. */
  conversionId: string;
}

export const mediaProcessMessage = (trackId: string, conversionId: string): MediaProcessMessage => ({ type: MEDIA_PROCESS, trackId, conversionId });

/** R2 layout of a processing run: `${hlsPrefix}/master.m3u8`, `${hlsPrefix}/<rendition>/index.m3u8`, `${hlsPrefix}/<rendition>/seg-00000.mp3`. */
export const hlsPrefix = (trackId: string, conversionId: string) => `hls/${trackId}/${conversionId}`;
