import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problem("Not allowed: the account is banned"),
  404: problem("No such track, or one you may not see"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };
