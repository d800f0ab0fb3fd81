import { jsonDoc, problemDoc as problem } from "../../lib/problem";

/** The problem+json responses routes of this domain declare, by status. */

export const problems = {
  401: problem("Not signed in, or the access token is invalid, expired or revoked"),
  403: problem("Signed in, but not allowed (banned account, or a role is missing)"),
  404: problem("Not found"),
  409: problem("Conflict with the current state"),
  413: problem("The body is too large"),
  415: problem("The body is not of an accepted type"),
  422: problem("The request is not valid; `errors` lists each field"),
} as const;

export { jsonDoc as json };
