import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { ProblemSchema } from "../../lib/problem";
import {
  CreateUploadSchema,
  DuplicateProblemSchema,
  MissingPartsProblemSchema,
  PartHeadersSchema,
  PartParamsSchema,
  StoredFileSchema,
  UploadIdParamsSchema,
  UploadSchema,
} from "./schemas";

const problem = (description: string, schema: z.ZodType = ProblemSchema) => ({ description, content: { "application/problem+json": { schema } } });
const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });

const signedIn = {
  401: problem("Not signed in, or the access token is invalid, revoked or belongs to a deleted account"),
  403: problem("The account is banned"),
  404: problem("No such upload of yours"),
  422: problem("Invalid input (field paths in `errors`)"),
};
const common = { tags: ["Uploads"], security: [{ bearerAuth: [] }] };

export const createUploadRoute = createRoute({
  ...common,
  middleware: [requireAuth()] as const,
  method: "post",
  path: "/v1/uploads",
  summary: "Start a resumable upload",
  description:
    "Opens an R2 multipart upload for one file: audio (WAV, FLAC, MP3) up to 2 GiB or an image (JPEG, PNG, WebP) up to 20 MiB, sent as `total_parts` parts of `part_size` bytes (the last one smaller). 409 when you already have a live file with this SHA-256 (`file_id`: reuse it) or an upload of it under way (`upload_id`: resume it). An incomplete upload expires 24 hours after its last part. One round trip.",
  request: { body: { required: true, content: { "application/json": { schema: CreateUploadSchema } } } },
  responses: {
    201: { ...json("The upload, waiting for its parts", UploadSchema), headers: z.object({ Location: z.string() }) },
    401: signedIn[401],
    403: signedIn[403],
    409: problem("The same content is already a file of yours or an upload under way", DuplicateProblemSchema),
    422: signedIn[422],
  },
});

export const getUploadRoute = createRoute({
  ...common,
  middleware: [requireAuth()] as const,
  method: "get",
  path: "/v1/uploads/{id}",
  summary: "An upload's progress",
  description: "Status, parts received and parts missing: after a dropped connection, send the missing parts, then complete. One round trip.",
  request: { params: UploadIdParamsSchema },
  responses: { 200: json("The upload", UploadSchema), ...signedIn },
});

export const uploadPartRoute = createRoute({
  ...common,
  middleware: [requireAuth()] as const,
  method: "put",
  path: "/v1/uploads/{id}/parts/{n}",
  summary: "Send one part",
  description:
    "The body is the part's raw bytes (`application/octet-stream`) with a Content-Length of exactly the part's size: `part_size`, or what remains for the last part. Streamed to R2, never buffered. Sending a part again replaces it; parts may arrive in any order and concurrently. A body that breaks off stores nothing (400): send the part again. Two round trips.",
  request: {
    params: PartParamsSchema,
    headers: PartHeadersSchema,
    body: { required: true, content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  responses: {
    200: json("The upload with this part recorded", UploadSchema),
    400: problem("The body broke off before Content-Length bytes arrived; nothing was kept"),
    ...signedIn,
    409: problem("The upload no longer takes parts (being completed, completed, aborted or failed)"),
    410: problem("The upload expired"),
    415: problem("The body is not application/octet-stream"),
    503: problem("Storage did not take the part; send it again"),
  },
});

export const completeUploadRoute = createRoute({
  ...common,
  middleware: [requireAuth()] as const,
  method: "post",
  path: "/v1/uploads/{id}/complete",
  summary: "Complete an upload",
  description:
    "Assembles the parts, reads the real type from the bytes (it must be one Veza stores, and audio or image as declared: otherwise 415), checks the SHA-256 of the whole object (otherwise 422) and stores the file. A refused upload is failed and its bytes deleted. 201 with the new file; completing it again answers 200 with the same file. 409 lists `missing_parts`, or names your existing file (`file_id`) when the same content was completed meanwhile. Two round trips.",
  request: { params: UploadIdParamsSchema },
  responses: {
    201: json("The stored file", StoredFileSchema),
    200: json("The upload was already completed: its file", StoredFileSchema),
    ...signedIn,
    409: problem("Parts are missing (`missing_parts`), the same content is already a file of yours (`file_id`), or the upload is aborted or being completed", MissingPartsProblemSchema.merge(DuplicateProblemSchema)),
    410: problem("The upload expired, or its file was deleted"),
    415: problem("The bytes are not a type Veza stores, or not the declared kind (audio / image)"),
    422: problem("The bytes do not match the declared SHA-256 (or invalid input)"),
  },
});

export const abortUploadRoute = createRoute({
  ...common,
  middleware: [requireAuth()] as const,
  method: "delete",
  path: "/v1/uploads/{id}",
  summary: "Abort an upload",
  description:
    "Aborts the R2 multipart upload (its parts are dropped) and marks the upload aborted; the record is deleted a day later. Aborting again is fine. A completed upload is a file: 409. One round trip.",
  request: { params: UploadIdParamsSchema },
  responses: {
    204: { description: "Aborted" },
    ...signedIn,
    409: problem("The upload is completed, or being completed"),
  },
});
