import { createRouter } from "../../lib/router";

/** Operations: jobs on demand and the platform's health (spec §18–§23). */
export const operations = createRouter();
