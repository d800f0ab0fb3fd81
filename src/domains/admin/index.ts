import { createRouter } from "../../lib/router";

/** Administration (spec §16): user management, platform metrics, the audit log. */
export const admin = createRouter();
