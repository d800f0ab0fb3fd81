import { createRouter } from "../../lib/router";

/** Cloud storage (spec §13): WebDAV/Nextcloud accounts, backup jobs, sync operations. */
export const cloud = createRouter();
