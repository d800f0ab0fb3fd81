import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError, type ErrorCode } from "../../lib/errors";
import { problemResponse } from "../../lib/problem";

/**
 * An ApiError with RFC 9457 extension members (`file_id`, `upload_id`, `missing_parts`): what a
 * client needs to act on the refusal without another request. Services throw it like any error;
 * the handlers of this domain render it with `problemWithFields`.
 */
export class UploadProblem extends ApiError {
  constructor(
    code: ErrorCode,
    detail: string,
    readonly fields: Record<string, unknown>,
    options: ConstructorParameters<typeof ApiError>[2] = {},
  ) {
    super(code, detail, options);
  }
}

/** The same content is already a live file of this user (or is being uploaded): 409 naming it. */
export const duplicateFile = (fileId: string) =>
  new UploadProblem("conflict", "You already have a file with this SHA-256; reuse it (file_id) instead of uploading it again.", { file_id: fileId });

export const duplicateUpload = (uploadId: string) =>
  new UploadProblem("conflict", "An upload of this content is already under way; resume it (upload_id) or abort it first.", { upload_id: uploadId });

/**
 * Runs a handler, turning an UploadProblem into its problem+json response with the extension
 * members; any other error goes on to the app's one error path.
 */
export async function withProblemFields(c: Context<AppEnv>, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (err) {
    if (!(err instanceof UploadProblem)) throw err;
    const base = problemResponse(c, err);
    const body = { ...((await base.json()) as Record<string, unknown>), ...err.fields };
    return new Response(JSON.stringify(body), { status: base.status, headers: base.headers });
  }
}
