import { createRouter } from "../../lib/router";

/** Moderation (spec §16): reports, the moderators' queue, actions and appeals. */
export const moderation = createRouter();
