import { problemDoc as problem } from "../../lib/problem";

export { json, jsonBody, optionalBearer, signedIn } from "../products/responses";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("A banned account"),
  404: problem("No such item, warranty, maintenance entry, file or profile — or one you may not see (private, deleted, owner gone, block): its existence is not confirmed"),
  409: problem("The item already holds the most warranties it may"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export const readErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
export const writeErrors = readErrors;
