import { createRouter } from "../../lib/router";

/** The live playback queue (spec §7.7-§7.8, DESIGN §4): REST and the WebSocket to the user's PlaybackQueue. */
export const playbackQueue = createRouter();
