import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { AppEnv } from "../env";
import { fromDatabaseError } from "./database-errors";
import { ApiError, errorStatus, type ErrorCode, type FieldError } from "./errors";

/** RFC 9457 problem details, the one error body of the API (also published in the OpenAPI document). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://veza.dev/problems/validation_failed" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string(),
    code: z.string().openapi({ example: "validation_failed" }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;

const titles: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  malformed_json: "Malformed JSON",
  unauthenticated: "Authentication required",
  invalid_token: "Invalid token",
  payment_required: "Payment required",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  upgrade_required: "Upgrade required",
  validation_failed: "Validation failed",
  cloud_connection_failed: "Cloud connection failed",
  rate_limited: "Too many requests",
  internal: "Internal error",
  database_unavailable: "Database unavailable",
  service_unavailable: "Service unavailable",
};

/** zod issues -> `[{path: "body.email", message}]`, the paths a client can map onto its form fields. */
export function zodFieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  // Extension members first: they can never overwrite a standard member.
  const body: Problem & Record<string, unknown> = {
    ...error.extensions,
    type: `https://veza.dev/problems/${error.code}`,
    title: titles[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId: c.get("requestId") ?? "unknown",
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "content-type": "application/problem+json", ...error.headers },
  });
}

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(errorStatus) as [ErrorCode, number][]).find(([, s]) => s === status);
  return match?.[0] ?? (status >= 500 ? "internal" : "bad_request");
}

/** Whatever was thrown -> an ApiError. Unknown errors become a bare 500 (logged, never echoed). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const fromDb = fromDatabaseError(err);
  if (fromDb) return fromDb;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /JSON/i.test(err.message)) {
      return new ApiError("malformed_json", "The request body is not valid JSON.", { cause: err });
    }
    if (err.status === 413) return new ApiError("payload_too_large", "The request body is too large.", { cause: err });
    const code = codeForStatus(err.status);
    return new ApiError(code, err.status >= 500 ? "Something went wrong on our side." : err.message || titles[code], { cause: err });
  }
  return new ApiError("internal", "Something went wrong on our side. The request id identifies it in our logs.", { cause: err });
}

/** An OpenAPI response of problem+json, for route definitions. */
export const problemDoc = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

/** An OpenAPI response of JSON in `schema`, for route definitions. */
export const jsonDoc = <T>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });
