import { createRouter } from "../../lib/router";

export const orders = createRouter();
