import { z } from "@hono/zod-openapi";

const timestamp = z.string().openapi({ format: "date-time", example: "2026-05-01T12:00:00.000Z" });

export const ConsentsSchema = z
  .object({
    data_processing_consent: z.boolean().openapi({ description: "Art. 6: consent to the processing of personal data, the legal basis of the account." }),
    data_processing_consent_at: timestamp.nullable().openapi({ description: "Art. 7: when data_processing_consent last changed." }),
    marketing_consent: z.boolean().openapi({ description: "Separate consent to marketing communications." }),
    marketing_consent_at: timestamp.nullable().openapi({ description: "When marketing_consent last changed." }),
  })
  .openapi("Consents");

export type Consents = z.infer<typeof ConsentsSchema>;

export const ConsentsPatchSchema = z
  .object({
    data_processing_consent: z.boolean().optional().openapi({
      description: "Only `true` is accepted once given: withdrawing it is deleting the account (DELETE /v1/me), answered 409 here.",
    }),
    marketing_consent: z.boolean().optional(),
  })
  .strict()
  .refine((body) => body.data_processing_consent !== undefined || body.marketing_consent !== undefined, {
    message: "Give data_processing_consent and/or marketing_consent.",
  })
  .openapi("ConsentsPatch");

export const ExportRequestedSchema = z
  .object({ requested_at: timestamp.openapi({ description: "When the export was requested; a link is mailed when the archive is ready." }) })
  .openapi("ExportRequested");

export const ExportStatusSchema = z
  .object({
    status: z.enum(["none", "pending", "ready"]).openapi({
      description: "`pending`: an archive is being prepared (its link will be mailed); `ready`: the latest archive can be downloaded; `none`: nothing to download.",
    }),
    requested_at: timestamp.nullable().openapi({ description: "When an export was last requested." }),
    archive: z
      .object({
        generated_at: timestamp,
        bytes: z.number().int(),
        download_url: z.string().url().openapi({ description: "A fresh signed link to the archive, like the mailed one; it works without a session." }),
        expires_at: timestamp.openapi({ description: "When this link stops working (the archive stays until replaced or the account is erased)." }),
      })
      .nullable()
      .openapi({ description: "The latest archive. While a new one is pending, the previous one stays downloadable." }),
  })
  .openapi("ExportStatus");

/** The random part of an archive's R2 key, as it appears in the download link. */
export const ExportIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, "is not an export id")
  .openapi({ param: { name: "id", in: "path" }, example: "Jx3kq2b8Zr4YlF0pQw1sVg" });

export const ExportDownloadQuerySchema = z.object({
  token: z
    .string()
    .max(4096)
    .optional()
    .openapi({ description: "The signed token of the mailed link (required; valid 7 days)." }),
});

export const DeleteAccountSchema = z
  .object({
    password: z.string().min(1).max(1024).optional().openapi({ description: "Required when the account has a password." }),
    confirm: z.literal("DELETE").openapi({ description: 'The word "DELETE", so that no client deletes an account by accident.' }),
  })
  .strict()
  .openapi("DeleteAccount");
