import { jsonDoc, problemDoc as problem } from "../../lib/problem";

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  402: problem("The course is paid: buy `product_id` through the marketplace's checkout to enrol"),
  403: problem("Not allowed: a banned account, not your course, not a verified educator, not enrolled"),
  404: problem("No such course, lesson or user, or one hidden from you (a draft, deleted, educator gone, block)"),
  409: problem("Conflict with the course's state: slug taken, no lesson to publish, learners enrolled, not taking learners"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export { jsonDoc as json };
export { jsonBody, optionalBearer, signedIn } from "../products/responses";

export const readErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
export const writeErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] };
