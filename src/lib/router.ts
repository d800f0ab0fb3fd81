import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { ApiError } from "./errors";
import { zodFieldErrors } from "./problem";

/** JSON API bodies are small; routes that take files (uploads) set their own, larger limit. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Binary bodies (images, audio parts): the Workers platform's own request limit. */
export const BINARY_BODY_LIMIT = 100 * 1024 * 1024;

/**
 * A sub-router for one domain. Invalid input never reaches a handler: the hook turns the zod
 * error into a 422 problem with field paths (`body.email`, `query.limit`, ...).
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        throw new ApiError("validation_failed", "The request is not valid.", { errors: zodFieldErrors(result.error, result.target) });
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

