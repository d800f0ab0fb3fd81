import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { optionalBearer, signedIn } from "../../lib/openapi";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { SETTINGS_TTL_SECONDS } from "../../lib/flags";
import { ClientFlagsSchema } from "./schemas";

export const tags = ["Feature flags"];

export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: a banned account, or not an admin"),
  404: problem("No flag or setting with this key"),
  409: problem("A flag or setting with this key already exists"),
  422: problem("The request is not valid; `errors` lists each field (a value not of the setting's type, an unknown user)"),
} as const;

/** Said once, for every route that reads or changes the cached snapshot. */
export const CACHING = `Flags and settings are cached at the edge (isolate memory and the data centre's cache) for at most ${SETTINGS_TTL_SECONDS} s from the moment they were read: a change is seen at once by the Worker instance that made it and everywhere else within ${SETTINGS_TTL_SECONDS} s.`;

export const clientFlagsRoute = createRoute({
  method: "get",
  path: "/v1/flags",
  tags,
  summary: "The feature flags on for me, and the public settings",
  description: `Anyone; a token, when sent, must be valid. A flag is on for you when it is enabled and you are on its allow-list (by id or role), or fall within its rollout (a stable hash of your id and the flag key, modulo 100, under rollout_percent); anonymous visitors get only flags rolled out to 100 %. ${CACHING} No database round trip while cached.`,
  security: optionalBearer,
  responses: { 200: json("The flags on for you, and the public settings", ClientFlagsSchema), 401: problems[401], 403: problems[403] },
});

/** Admin routes: signed in as an admin, audited. */
export const adminOnly = { security: signedIn, middleware: [requireAuth("admin")] };

/** Per viewer (a private cache only), and no longer than the edge keeps the snapshot. */
export const CLIENT_CACHE_CONTROL = `private, max-age=${SETTINGS_TTL_SECONDS}`;
