import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { confirmEnrolment, startEnrolment } from "./enrolment";
import { disableTwoFactor, regenerateBackupCodes, twoFactorStatus } from "./manage";
import { confirmTotp, disable, getStatus, renewBackupCodes, startTotp } from "./routes";

/** TOTP two-factor authentication of the signed-in user (the login's check is ./service.ts). */
export const twoFactor = createRouter()
  .openapi(getStatus, async (c) => {
    const status = await twoFactorStatus(c, currentUser(c).userId);
    return c.json({ enabled: status.enabled, enabled_at: status.enabledAt?.toISOString() ?? null, backup_codes_remaining: status.backupCodesRemaining }, 200);
  })
  .openapi(startTotp, async (c) => {
    const enrolment = await startEnrolment(c, currentUser(c).userId);
    return c.json({ secret: enrolment.secret, otpauth_uri: enrolment.otpauthUri }, 201);
  })
  .openapi(confirmTotp, async (c) => {
    const { backupCodes } = await confirmEnrolment(c, currentUser(c).userId, c.req.valid("json").code);
    return c.json({ backup_codes: backupCodes }, 200);
  })
  .openapi(disable, async (c) => {
    const { password, code } = c.req.valid("json");
    await disableTwoFactor(c, currentUser(c).userId, password, code);
    return c.body(null, 204);
  })
  .openapi(renewBackupCodes, async (c) => {
    const { backupCodes } = await regenerateBackupCodes(c, currentUser(c).userId, c.req.valid("json").code);
    return c.json({ backup_codes: backupCodes }, 200);
  });
