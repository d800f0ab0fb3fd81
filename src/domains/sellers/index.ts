import { createRouter } from "../../lib/router";

export const sellers = createRouter();
