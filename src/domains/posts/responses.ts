import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: banned account, not yours to change, or another's private post to repost"),
  404: problem("No such post, comment, profile, group or hashtag, or one hidden from you (visibility, block)"),
  409: problem("You already reposted this post without a quote"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };
