import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors";

const tooLarge = (max: number) => new ApiError("payload_too_large", `The request body exceeds ${max} bytes.`);

/**
 * A size limit on request bodies that never buffers: a declared Content-Length is checked up front;
 * a body without one (chunked) is passed on as a stream that counts its bytes and fails with 413
 * past `max`, or with 400 when the client's stream breaks off. Either error reaches the handler that
 * reads the body as an ApiError, so it becomes a problem response rather than a 500. Routes that
 * stream a body elsewhere (upload parts to R2) keep it a stream: nothing is held in memory here.
 */
export function streamingBodyLimit(max: number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = raw.headers.get("content-length");
    if (declared !== null && !raw.headers.has("transfer-encoding")) {
      if (Number(declared) > max) throw tooLarge(max);
      return next();
    }
    const reader = raw.body.getReader();
    let size = 0;
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          controller.error(new ApiError("bad_request", "The request body broke off before its end.", { cause: err }));
          return;
        }
        if (chunk.done) return controller.close();
        size += chunk.value.byteLength;
        if (size > max) {
          controller.error(tooLarge(max));
          await reader.cancel().catch(() => undefined);
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    c.req.raw = new Request(raw, { body: counted, duplex: "half" } as RequestInit);
    return next();
  };
}
