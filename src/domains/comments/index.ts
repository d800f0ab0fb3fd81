import { createRouter } from "../../lib/router";

/** Track comments (spec §7.6), threaded and optionally timed. */
export const comments = createRouter();
