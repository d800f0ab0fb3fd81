import { createRouter } from "../../lib/router";

/** System configuration and feature flags (spec §16). */
export const flags = createRouter();
