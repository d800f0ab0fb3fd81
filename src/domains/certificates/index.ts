import { createRouter } from "../../lib/router";

/** Certificates (spec §11.7): issued on completion, publicly verifiable. */
export const certificates = createRouter();
