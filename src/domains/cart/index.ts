import { createRouter } from "../../lib/router";

export const cart = createRouter();
