/**
 * One error type for the whole platform. Services throw `ApiError` with a machine code and know
 * nothing of HTTP; `statusOf` is the one table from code to status, and `problem.ts` renders every
 * error as the same RFC 9457 body.
 */
export const errorStatus = {
  bad_request: 400,
  malformed_json: 400,
  unauthenticated: 401,
  payment_required: 402,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  validation_failed: 422,
  cloud_connection_failed: 422,
  rate_limited: 429,
  internal: 500,
  database_unavailable: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** RFC 9457 extension members rendered into the body (e.g. the current state of a stale write). */
  readonly extensions?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} was not found.`);
export const forbidden = (detail = "You are not allowed to do this.") => new ApiError("forbidden", detail);
