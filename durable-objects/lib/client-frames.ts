import { z } from "@hono/zod-openapi";

/** Every client frame of our socket protocols carries one; its answer echoes it. */
export const RequestIdSchema = z.string().min(1).max(64);

export type ClientFrameRead =
  | { ok: true; requestId: string; body: Record<string, unknown> }
  | { ok: false; error: { type: "error"; code: "message_too_large" | "invalid_message"; message: string } };

/**
 * The part of reading a client frame that every protocol shares: at most `maxBytes`, JSON text,
 * an object with a valid `request_id`. What remains (`body`) is the protocol's to validate.
 */
export function readClientFrame(message: string | ArrayBuffer, maxBytes: number): ClientFrameRead {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: only long frames are encoded to measure.
  const tooLarge =
    typeof message === "string" ? message.length * 3 > maxBytes && new TextEncoder().encode(message).byteLength > maxBytes : message.byteLength > maxBytes;
  if (tooLarge) return refuse("message_too_large", `Frames are limited to ${maxBytes} bytes.`);
  if (typeof message !== "string") return refuse("invalid_message", "Frames are JSON text.");
  let frame: unknown;
  try {
    frame = JSON.parse(message);
  } catch {
    return refuse("invalid_message", "The frame is not valid JSON.");
  }
  const { request_id, ...body } = (frame && typeof frame === "object" && !Array.isArray(frame) ? frame : {}) as Record<string, unknown>;
  const requestId = RequestIdSchema.safeParse(request_id);
  if (!requestId.success) return refuse("invalid_message", "Frames are JSON objects with a request_id (a string of 1-64 characters).");
  return { ok: true, requestId: requestId.data, body };
}

const refuse = (code: "message_too_large" | "invalid_message", message: string): ClientFrameRead => ({ ok: false, error: { type: "error", code, message } });
