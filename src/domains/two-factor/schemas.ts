import { z } from "@hono/zod-openapi";
import { problemDoc as problem } from "../../lib/problem";

export { problem };

export const ConfirmBody = z
  .object({
    code: z
      .string()
      .regex(/^\s*\d{3}\s?\d{3}\s*$/, "must be the 6-digit code the authenticator app shows")
      .openapi({ example: "123456" }),
  })
  .openapi("TwoFactorConfirm");

const SecondFactorCode = z
  .string()
  .min(6, "must be a 6-digit code or a backup code")
  .max(32, "must be a 6-digit code or a backup code")
  .openapi({ description: "The current 6-digit code of the authenticator app, or one unused backup code (`XXXXX-XXXXX`).", example: "123456" });

export const CodeBody = z.object({ code: SecondFactorCode }).openapi("TwoFactorCode");

export const DisableBody = z
  .object({
    password: z.string().min(1, "is required").max(1024),
    code: SecondFactorCode,
  })
  .openapi("TwoFactorDisable");

export const EnrolmentSchema = z
  .object({
    secret: z.string().openapi({ description: "Base32 TOTP secret, for typing into an authenticator app.", example: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }),
    otpauth_uri: z.string().openapi({
      description: "Key URI for a QR code.",
      example: "otpauth://totp/Veza:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Veza&algorithm=SHA1&digits=6&period=30",
    }),
  })
  .openapi("TwoFactorEnrolment");

export const BackupCodesSchema = z
  .object({
    backup_codes: z.array(z.string()).length(10).openapi({ description: "Ten single-use codes, shown only now.", example: ["7KQ2M-XR9TD"] }),
  })
  .openapi("TwoFactorBackupCodes");

export const StatusSchema = z
  .object({
    enabled: z.boolean(),
    enabled_at: z.string().datetime().nullable(),
    backup_codes_remaining: z.number().int().min(0),
  })
  .openapi("TwoFactorStatus");

/** The refusals every 2FA route shares. */
export const authProblems = {
  401: problem("Not signed in, or the access token is invalid, revoked, or of a deleted account"),
  403: problem("The account is banned"),
} as const;
