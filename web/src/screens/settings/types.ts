/**
 * The API shapes the settings and account screens use, from the Worker's own zod schemas (type-only:
 * nothing of the server reaches the bundle). A schema change on the server is a type error here.
 */
import type { z } from "zod";
import type { BlockListSchema } from "../../../../src/domains/blocks/schemas";
import type { ConsentsSchema, ExportStatusSchema } from "../../../../src/domains/gdpr/schemas";
import type { SessionListSchema, PasswordChangedSchema } from "../../../../src/domains/auth/schemas";
import type { AcceptedSchema } from "../../../../src/domains/account-email/schemas";
import type { SettingsColumn, SettingsSchema } from "../../../../src/domains/users/schemas";
import type { UpdateSettingsSchema } from "../../../../src/domains/users/inputs";

export type { Me } from "../../types/api";
export type { SettingsColumn };
export type Settings = z.infer<typeof SettingsSchema>;
export type UpdateSettings = z.input<typeof UpdateSettingsSchema>;
export type Consents = z.infer<typeof ConsentsSchema>;
export type ExportStatus = z.infer<typeof ExportStatusSchema>;
export type SessionList = z.infer<typeof SessionListSchema>;
export type DeviceSession = SessionList["items"][number];
export type PasswordChanged = z.infer<typeof PasswordChangedSchema>;
export type BlockList = z.infer<typeof BlockListSchema>;
export type Accepted = z.infer<typeof AcceptedSchema>;

// The two-factor and OAuth schema modules import server-only code (the Worker's env and error
// mapping), which the web app's type-check cannot load: their shapes are restated here, as
// src/domains/two-factor/schemas.ts and src/domains/oauth/schemas.ts define them.

/** GET /v1/me/2fa */
export interface TwoFactorStatus {
  enabled: boolean;
  enabled_at: string | null;
  backup_codes_remaining: number;
}

/** POST /v1/me/2fa/totp */
export interface TwoFactorEnrolment {
  secret: string;
  otpauth_uri: string;
}

/** POST /v1/me/2fa/totp/confirm and /v1/me/2fa/backup-codes */
export interface BackupCodes {
  backup_codes: string[];
}

export type Provider = "google" | "github" | "discord" | "spotify";
export type OAuthOutcome = "signed_in" | "signed_up" | "linked" | "two_factor_required";

/** GET /v1/me/oauth */
export interface LinkedIdentities {
  identities: {
    provider: Provider;
    providerUsername: string | null;
    providerEmail: string | null;
    providerAvatarUrl: string | null;
    isPrimary: boolean;
    linkedAt: string;
  }[];
  available: Provider[];
  hasPassword: boolean;
}

/** What PUT /v1/me/avatar and /v1/me/banner answer (the part the screen reads). */
export interface StoredImage {
  url: string;
}

/** The providers' names as people know them. */
export const providerLabels: Record<Provider, string> = {
  google: "Google",
  github: "GitHub",
  discord: "Discord",
  spotify: "Spotify",
};
