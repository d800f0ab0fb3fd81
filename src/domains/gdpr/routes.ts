import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { problemDoc as problem } from "../../lib/problem";
import { ConsentsPatchSchema, ConsentsSchema, DeleteAccountSchema, ExportDownloadQuerySchema, ExportIdSchema, ExportRequestedSchema, ExportStatusSchema } from "./schemas";

const signedIn = {
  401: problem("Not signed in, or the access token is revoked, expired or belongs to a deleted account"),
  403: problem("The account is banned"),
  422: problem("Invalid input (field paths in `errors`)"),
};

export const patchConsents = createRoute({
  method: "patch",
  path: "/v1/me/consents",
  tags: ["GDPR"],
  summary: "Give or withdraw consents",
  description:
    "Changes data_processing_consent and/or marketing_consent. Each change stamps its `*_consent_at` and is written to the audit log with the old and new state of both consents, in the same statement (one round trip). Withdrawing data_processing_consent — the legal basis of the account — is refused with 409: delete the account instead (DELETE /v1/me).",
  middleware: [requireAuth()] as const,
  security: [{ bearerAuth: [] }],
  request: { body: { required: true, content: { "application/json": { schema: ConsentsPatchSchema } } } },
  responses: {
    200: { description: "The consents now in force", content: { "application/json": { schema: ConsentsSchema } } },
    ...signedIn,
    409: problem("data_processing_consent cannot be withdrawn on its own: delete the account"),
  },
});

export const postExport = createRoute({
  method: "post",
  path: "/v1/me/export",
  tags: ["GDPR"],
  summary: "Request a copy of all my data (Art. 20)",
  description:
    "Queues a job that writes a JSON archive of everything the account owns to storage, then mails a download link valid 7 days. One request at a time: 409 while one younger than 24 hours is pending. One round trip.",
  middleware: [requireAuth()] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    202: { description: "Requested; the link will be mailed", content: { "application/json": { schema: ExportRequestedSchema } } },
    401: signedIn[401],
    403: signedIn[403],
    409: problem("An export is already pending"),
    503: problem("The job could not be queued"),
  },
});

export const getExportStatus = createRoute({
  method: "get",
  path: "/v1/me/export",
  tags: ["GDPR"],
  summary: "Where my data export stands, with a fresh link to the latest archive",
  description:
    "Whether an export is being prepared, and the latest archive with a newly signed download link valid 7 days (the same kind the mail carries), so a lost mail is not a lost export. One round trip, plus a listing of the account's archive folder.",
  middleware: [requireAuth()] as const,
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: "The export's state", content: { "application/json": { schema: ExportStatusSchema } } },
    401: signedIn[401],
    403: signedIn[403],
  },
});

export const getExport = createRoute({
  method: "get",
  path: "/v1/me/exports/{id}",
  tags: ["GDPR"],
  summary: "Download an export (the mailed link)",
  description:
    "Streams the archive as an attachment. The signed `token` of the link proves ownership, so no session is needed; a session of another account is refused. 401 for a missing, forged or expired token or a deleted account, 403 for a token of another export, 410 when the archive was replaced or erased.",
  request: { params: z.object({ id: ExportIdSchema }), query: ExportDownloadQuerySchema },
  responses: {
    200: {
      description: "The JSON archive (Content-Disposition: attachment)",
      content: { "application/json": { schema: z.object({ format: z.string(), generated_at: z.string(), user_id: z.string() }).passthrough().openapi("ExportArchive") } },
    },
    401: problem("Missing, forged or expired token, or the account was deleted"),
    403: problem("The token is for another export, or the session is another account's"),
    410: problem("The archive no longer exists"),
    422: problem("Malformed export id"),
  },
});

export const deleteMe = createRoute({
  method: "delete",
  path: "/v1/me",
  tags: ["GDPR"],
  summary: "Delete my account (Art. 17)",
  description:
    'Soft-deletes the account at once: every session and access token stops working, the email and username become free, and the data is anonymised 30 days later (orders are kept 7 years, without the billing identity). Needs `confirm: "DELETE"` and, for an account with a password, the password. Two round trips.',
  middleware: [requireAuth()] as const,
  security: [{ bearerAuth: [] }],
  request: { body: { required: true, content: { "application/json": { schema: DeleteAccountSchema } } } },
  responses: {
    204: { description: "Deleted" },
    401: signedIn[401],
    403: problem("Wrong password, or the account is banned"),
    422: signedIn[422],
  },
});
