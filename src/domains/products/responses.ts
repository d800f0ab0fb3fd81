import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: a banned account, not your product, a suspension only moderators lift, or a role missing"),
  404: problem("No such product, licence or seller, or one hidden from you (unpublished, deleted, seller gone, block)"),
  409: problem("Conflict with the product's state: slug taken, no licence to publish with, an exclusive licence sold, sold units freezing a licence"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };

/** What every write may answer. */
export const writeErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
export const readErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
