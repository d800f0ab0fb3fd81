import { z } from "@hono/zod-openapi";

const timestamp = z.string().openapi({ format: "date-time", example: "2026-05-01T12:00:00.000Z" });
const uuid = z.string().uuid();

export const ProviderSchema = z.enum(["webdav", "nextcloud"]).openapi({
  description: "nextcloud: server_url is the Nextcloud's address and files go to /remote.php/dav/files/<username>/; webdav: server_url is the WebDAV folder itself.",
});

const serverUrl = z.string().trim().min(1).max(2048).openapi({
  description: "https:// (plain http only to this machine in development). No credentials, query or fragment.",
  example: "https://cloud.example.com",
});
const username = z.string().min(1).max(255);
const appPassword = z.string().min(1).max(1024).openapi({
  description: "An app password (Nextcloud: Settings → Security → Devices & sessions). Stored encrypted (AES-256-GCM), never returned.",
});
const displayName = z.string().trim().min(1).max(100);

export const ConnectAccountSchema = z
  .object({
    provider: ProviderSchema,
    server_url: serverUrl,
    username,
    app_password: appPassword,
    display_name: displayName.optional(),
  })
  .strict()
  .openapi("CloudAccountConnect");

export const UpdateAccountSchema = z
  .object({
    server_url: serverUrl.optional(),
    username: username.optional(),
    app_password: appPassword.optional(),
    display_name: displayName.nullable().optional(),
    status: z.enum(["active", "disabled"]).optional().openapi({ description: "disabled pauses the account's backups; active resumes them (after a new connection test)." }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Give at least one field to change." })
  .openapi("CloudAccountUpdate");

export type ConnectAccount = z.infer<typeof ConnectAccountSchema>;
export type UpdateAccount = z.infer<typeof UpdateAccountSchema>;

export const CloudAccountSchema = z
  .object({
    id: uuid,
    provider: ProviderSchema,
    display_name: z.string().nullable(),
    server_url: z.string(),
    username: z.string(),
    status: z.enum(["pending", "active", "error", "disabled"]).openapi({ description: "active: the last test passed; error: the last test or backup could not connect or sign in (see last_error); disabled: paused." }),
    last_tested_at: timestamp.nullable(),
    last_error: z.string().nullable(),
    quota_used_bytes: z.number().int().nullable(),
    quota_total_bytes: z.number().int().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("CloudAccount");

export type CloudAccount = z.infer<typeof CloudAccountSchema>;

export const CloudAccountListSchema = z.object({ items: z.array(CloudAccountSchema) }).openapi("CloudAccountList");

export const IdParamSchema = z.object({ id: uuid.openapi({ param: { name: "id", in: "path" } }) });

const remotePath = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .regex(/^\//, "must start with /")
  .refine((p) => !p.split("/").some((s) => s === "." || s === ".."), "must not contain . or .. segments")
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p), "must not contain control characters or backslashes")
  .transform((p) => p.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1"))
  .openapi({ description: "The folder on the account that receives the backup (created when missing).", example: "/Veza" });

const schedule = z.string().trim().min(1).max(100).nullable().openapi({
  description: 'NULL: on demand only. Otherwise five cron fields ("0 3 * * *") or @hourly, @daily, @weekly, @monthly, @yearly, evaluated in `timezone`; at most hourly.',
  example: "0 3 * * *",
});
const timezone = z.string().min(1).max(50).openapi({ description: "IANA time zone of the schedule.", example: "Europe/Paris" });

export const CreateJobSchema = z
  .object({
    cloud_account_id: uuid,
    name: z.string().trim().min(1).max(100).optional(),
    include_tracks: z.boolean().default(true),
    include_projects: z.boolean().default(true),
    include_data_export: z.boolean().default(true),
    remote_path: remotePath.default("/Veza"),
    schedule: schedule.default(null),
    timezone: timezone.default("UTC"),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((b) => b.include_tracks || b.include_projects || b.include_data_export, { message: "Include at least one of tracks, projects or the data export." })
  .openapi("BackupJobCreate");

export const UpdateJobSchema = z
  .object({
    name: z.string().trim().min(1).max(100).nullable().optional(),
    include_tracks: z.boolean().optional(),
    include_projects: z.boolean().optional(),
    include_data_export: z.boolean().optional(),
    remote_path: remotePath.optional(),
    schedule: schedule.optional(),
    timezone: timezone.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Give at least one field to change." })
  .openapi("BackupJobUpdate");

export type CreateJob = z.infer<typeof CreateJobSchema>;
export type UpdateJob = z.infer<typeof UpdateJobSchema>;

export const BackupJobSchema = z
  .object({
    id: uuid,
    cloud_account_id: uuid,
    name: z.string().nullable(),
    include_tracks: z.boolean(),
    include_projects: z.boolean(),
    include_data_export: z.boolean(),
    remote_path: z.string(),
    schedule: z.string().nullable(),
    timezone: z.string(),
    enabled: z.boolean(),
    next_run_at: timestamp.nullable(),
    status: z.enum(["pending", "queued", "running", "completed", "failed", "cancelled"]),
    progress_percent: z.number().int(),
    files_total: z.number().int().openapi({ description: "Files the current (or last) run considered." }),
    files_copied: z.number().int(),
    files_skipped: z.number().int().openapi({ description: "Unchanged since their last copy (same SHA-256): not sent again." }),
    files_failed: z.number().int(),
    bytes_total: z.number().int().openapi({ description: "Bytes the run has to send (changed and new files)." }),
    bytes_copied: z.number().int(),
    run_count: z.number().int(),
    error_message: z.string().nullable(),
    queued_at: timestamp.nullable(),
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
    last_success_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("BackupJob");

export type BackupJob = z.infer<typeof BackupJobSchema>;

export const BackupJobListSchema = z.object({ items: z.array(BackupJobSchema) }).openapi("BackupJobList");

export const SyncOperationSchema = z
  .object({
    id: uuid,
    source_type: z.enum(["track", "project", "data_export"]),
    file_id: uuid.nullable(),
    remote_path: z.string(),
    content_hash: z.string().openapi({ description: "SHA-256 (hex) of what was (or is being) copied." }),
    bytes: z.number().int(),
    status: z.enum(["pending", "in_progress", "completed", "failed"]),
    attempt_count: z.number().int(),
    error_message: z.string().nullable(),
    run_number: z.number().int().nullable(),
    started_at: timestamp.nullable(),
    completed_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .openapi("SyncOperation");

export const SyncOperationListSchema = z
  .object({ items: z.array(SyncOperationSchema), next_cursor: z.string().nullable() })
  .openapi("SyncOperationList");

export const OperationsQuerySchema = z.object({
  status: z.enum(["pending", "in_progress", "completed", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(512).optional(),
});

export type OperationsQuery = z.infer<typeof OperationsQuerySchema>;
