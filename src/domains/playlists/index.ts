import { createRouter } from "../../lib/router";

/** Playlists (spec §7.2-§7.3), their collaborators and followers. */
export const playlists = createRouter();
