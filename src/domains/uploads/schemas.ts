import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../../lib/problem";
import {
  cleanFilename,
  DECLARED_TYPE_NAMES,
  DECLARED_TYPES,
  DEFAULT_PART_SIZE,
  kindOf,
  MAX_BYTES,
  MAX_PART_SIZE,
  MAX_PARTS,
  MIN_PART_SIZE,
  totalParts,
} from "./policy";

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be the file's SHA-256 as 64 lowercase hex digits");

export const CreateUploadSchema = z
  .object({
    filename: z
      .string()
      .max(1024)
      .refine((name) => cleanFilename(name).length > 0, "must name the file")
      .openapi({ example: "take-3.wav", description: "The original file name (kept without its path, at most 255 characters)" }),
    size: z.number().int().positive().openapi({ example: 52_428_800, description: "Bytes: audio up to 2 GiB, images up to 20 MiB" }),
    mime_type: z.enum(DECLARED_TYPE_NAMES).openapi({ description: "The declared type; the real one is read from the bytes on completion" }),
    sha256: Sha256Schema.openapi({ description: "SHA-256 of the whole file, lowercase hex: checked on completion, and the key of duplicate detection" }),
    part_size: z
      .number()
      .int()
      .min(MIN_PART_SIZE)
      .max(MAX_PART_SIZE)
      .optional()
      .openapi({ example: DEFAULT_PART_SIZE, description: "Bytes per part, 5 MiB to 95 MiB (default 8 MiB); only the last part may be smaller" }),
  })
  .superRefine((body, ctx) => {
    const kind = kindOf(DECLARED_TYPES[body.mime_type]);
    if (body.size > MAX_BYTES[kind]) {
      ctx.addIssue({ code: "custom", path: ["size"], message: `must be at most ${MAX_BYTES[kind]} bytes for ${kind === "audio" ? "an audio file" : "an image"}` });
    }
    if (totalParts(body.size, body.part_size ?? DEFAULT_PART_SIZE) > MAX_PARTS) {
      ctx.addIssue({ code: "custom", path: ["part_size"], message: `makes more than ${MAX_PARTS} parts; choose a larger part size` });
    }
  })
  .openapi("CreateUpload");

export type CreateUploadInput = z.infer<typeof CreateUploadSchema>;

export const UploadIdParamsSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const PartParamsSchema = UploadIdParamsSchema.extend({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PARTS)
    .openapi({ param: { name: "n", in: "path" }, type: "integer", example: 1, description: "Part number, from 1 to total_parts" }),
});

export const PartHeadersSchema = z.object({
  "content-length": z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: "content-length", in: "header" }, type: "integer", description: "Required: exactly the part's size" }),
});

export const UPLOAD_STATUSES = ["pending", "uploading", "processing", "completed", "failed", "aborted", "expired"] as const;

export const UploadSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    mime_type: z.string().openapi({ description: "The declared type, canonical (audio/x-wav is audio/wav)" }),
    kind: z.enum(["audio", "image"]),
    size: z.number().int(),
    sha256: z.string(),
    status: z.enum(UPLOAD_STATUSES).openapi({
      description:
        "pending (no part yet), uploading, processing (being completed), completed (see file_id), failed (see error), aborted, expired (an incomplete upload past expires_at)",
    }),
    part_size: z.number().int(),
    total_parts: z.number().int(),
    parts_uploaded: z.number().int(),
    bytes_uploaded: z.number().int(),
    parts: z.array(z.object({ part_number: z.number().int(), size: z.number().int() })).openapi({ description: "Parts received, by number" }),
    missing_parts: z.array(z.number().int()).openapi({ description: "Part numbers still to send: what a client resumes with" }),
    file_id: z.uuid().nullable().openapi({ description: "The stored file, once completed" }),
    error: z.string().nullable().openapi({ description: "Why the upload failed" }),
    expires_at: z.string().openapi({ format: "date-time", description: "An incomplete upload is discarded after this; every part moves it 24 hours ahead" }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Upload");

export type UploadView = z.infer<typeof UploadSchema>;

export const StoredFileSchema = z
  .object({
    id: z.uuid(),
    upload_id: z.uuid(),
    filename: z.string().openapi({ description: "The original file name" }),
    mime_type: z.string().openapi({ description: "The real type, read from the bytes" }),
    kind: z.enum(["audio", "image"]),
    extension: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    url: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("StoredFile");

export type StoredFile = z.infer<typeof StoredFileSchema>;

/** A problem that also names what the client can use instead: the file it already has, or the upload already under way. */
export const DuplicateProblemSchema = ProblemSchema.extend({
  file_id: z.uuid().optional().openapi({ description: "A live file of yours with the same SHA-256: reuse it" }),
  upload_id: z.uuid().optional().openapi({ description: "An upload of yours of the same content, still under way: resume it" }),
}).openapi("DuplicateUploadProblem");

export const MissingPartsProblemSchema = ProblemSchema.extend({
  missing_parts: z.array(z.number().int()),
}).openapi("MissingPartsProblem");
