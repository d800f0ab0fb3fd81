import { createRouter } from "../../lib/router";

export const reviews = createRouter();
