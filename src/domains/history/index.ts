import { createRouter } from "../../lib/router";

/** The listener's own listening history (spec §7.4). */
export const history = createRouter();
