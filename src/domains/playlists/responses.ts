import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: banned account, not the owner or a collaborator with the needed permission, or a cover link is forged or expired"),
  404: problem("No such playlist (or track, user, invitation), or one you may not see"),
  409: problem("Conflict: the track is already in the playlist, the playlist is full, an edit raced another (retry), or the state does not allow it"),
  410: problem("The invitation has expired"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };

