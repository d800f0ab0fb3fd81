import { z } from "@hono/zod-openapi";
import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { optionalBearer } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */

export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: banned account, not the owner, a role is missing, or a media link is forged or expired"),
  404: problem("No such track, or one you may not see"),
  409: problem("Conflict with the track's state (e.g. still processing, or failed)"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  503: problem("A dependency (queue, database) is unavailable; retry later"),
} as const;

export { jsonDoc as json };

const binary = z.string().openapi({ format: "binary" });
export const bytes = (description: string, ...types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type, { schema: binary }])),
});

