import { createRouter } from "../../lib/router";

export const products = createRouter();
