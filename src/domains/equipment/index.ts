import { createRouter } from "../../lib/router";

/** Hardware (spec §12): equipment inventory, warranties, maintenance. */
export const equipment = createRouter();
