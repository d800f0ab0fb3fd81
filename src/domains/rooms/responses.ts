import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: banned account, banned from the room, not a member, a wrong room password, or a role without the needed permission"),
  404: problem("No such room (or member, invitation, code), or a private room you are not a member of"),
  409: problem("Conflict: the room is archived or full, the owner cannot leave, the slug is taken, or the state does not allow it"),
  410: problem("The invitation has expired"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
  503: problem("The change is saved but the room could not be told (repeat the request), or the database is unavailable"),
} as const;

export { jsonDoc as json };

/** Most routes answer these. */
export const common = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };

