import { jsonDoc, problemDoc, ProblemSchema } from "../../lib/problem";
import { QueueStateSchema } from "./schemas";

/** The problem+json responses of the queue routes, by status. */
export const problems = {
  400: problemDoc("The WebSocket subprotocol list does not offer veza.queue.v1"),
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problemDoc("The account is banned"),
  404: problemDoc("No such item in your queue"),
  409: {
    description: "Your `version` is stale (the current state is in `state`; nothing was changed), or there is nothing to play",
    content: { "application/problem+json": { schema: ProblemSchema.extend({ state: QueueStateSchema.optional() }).openapi("QueueConflict") } },
  },
  422: problemDoc("The request is not valid; `errors` lists each field (tracks you cannot queue: `json.track_ids.<i>`)"),
  426: problemDoc("Not a WebSocket upgrade"),
  503: problemDoc("The queue's storage or the database is unavailable; retry later"),
} as const;

export const stateDoc = (description: string) => jsonDoc(description, QueueStateSchema);
