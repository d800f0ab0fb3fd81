import { createRouter } from "../../lib/router";

/** Likes on tracks (spec §7.5). */
export const likes = createRouter();
