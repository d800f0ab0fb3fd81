import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: a banned account, banned from the group, not a member, or a role without the needed rank"),
  404: problem("No such group (or member, request, ban), or a deleted group"),
  409: problem("Conflict: the slug is taken, the owner cannot leave, or the membership changed while the request ran"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };

/** Images answer byte ranges. */
export const problem416 = problem("The requested range is not satisfiable");


/** Most routes answer these. */
export const common = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
