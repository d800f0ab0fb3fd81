import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import type { Consents } from "./schemas";
import { isoOrNull } from "./time";

export interface ConsentsChange {
  data_processing_consent?: boolean;
  marketing_consent?: boolean;
}

type ConsentsRow = {
  found: boolean;
  refused: boolean;
  data_processing_consent: boolean;
  data_processing_consent_at: unknown;
  marketing_consent: boolean;
  marketing_consent_at: unknown;
};

/**
 * Changes a user's consents and records each change in audit_logs ('consent.change', old and new
 * state of both consents, §19.2) in the same statement: one round trip (the batch's set_config
 * only attributes the users row-change trigger's own record to the user).
 *
 * Only a value that differs from the stored one counts as a change and stamps its *_consent_at;
 * a request that changes nothing writes nothing.
 *
 * Withdrawing data_processing_consent is refused (409): it is the legal basis of the whole account,
 * so withdrawing it means the account must go, and that is DELETE /v1/me, which asks for the
 * password and an explicit confirmation, stops processing at once and erases after 30 days. A
 * boolean in a settings PATCH is too easy to send by mistake for an erasure request.
 */
export async function updateConsents(db: Database, userId: string, change: ConsentsChange, origin: AuditOrigin): Promise<Consents> {
  const dpc = change.data_processing_consent ?? null;
  const mc = change.marketing_consent ?? null;
  const dpcChanges = sql`(${dpc}::boolean IS NOT NULL AND ${dpc}::boolean IS DISTINCT FROM u.data_processing_consent)`;
  const mcChanges = sql`(${mc}::boolean IS NOT NULL AND ${mc}::boolean IS DISTINCT FROM u.marketing_consent)`;
  const state = (alias: string) =>
    sql.raw(`jsonb_build_object('data_processing_consent', ${alias}.data_processing_consent, 'marketing_consent', ${alias}.marketing_consent)`);

  const statement = sql`
    WITH old AS (
      SELECT id, data_processing_consent, data_processing_consent_at, marketing_consent, marketing_consent_at
        FROM users WHERE id = ${userId} AND deleted_at IS NULL
         FOR UPDATE
    ), changed AS (
      UPDATE users u SET
        data_processing_consent = COALESCE(${dpc}::boolean, u.data_processing_consent),
        data_processing_consent_at = CASE WHEN ${dpcChanges} THEN now() ELSE u.data_processing_consent_at END,
        marketing_consent = COALESCE(${mc}::boolean, u.marketing_consent),
        marketing_consent_at = CASE WHEN ${mcChanges} THEN now() ELSE u.marketing_consent_at END
        FROM old
       WHERE u.id = old.id
         AND (${dpcChanges} OR ${mcChanges})
         AND NOT (u.data_processing_consent AND ${dpc}::boolean IS FALSE)
      RETURNING u.data_processing_consent, u.data_processing_consent_at, u.marketing_consent, u.marketing_consent_at
    ), audit AS (
      ${auditInsertFrom(
        { action: "consent.change", userId, actorId: userId, origin, oldData: state("old"), newData: state("changed") },
        sql`old, changed`,
      )}
      RETURNING 1
    )
    SELECT true AS found,
           (old.data_processing_consent AND ${dpc}::boolean IS FALSE) AS refused,
           COALESCE(changed.data_processing_consent, old.data_processing_consent) AS data_processing_consent,
           CASE WHEN changed.data_processing_consent IS NULL THEN old.data_processing_consent_at ELSE changed.data_processing_consent_at END AS data_processing_consent_at,
           COALESCE(changed.marketing_consent, old.marketing_consent) AS marketing_consent,
           CASE WHEN changed.data_processing_consent IS NULL THEN old.marketing_consent_at ELSE changed.marketing_consent_at END AS marketing_consent_at,
           (SELECT count(*) FROM audit) AS audited
      FROM old LEFT JOIN changed ON true`;

  const [, result] = await db.batch([db.execute(actAs(userId)), db.execute<ConsentsRow>(statement)]);
  const row = result.rows[0] as ConsentsRow | undefined;
  // The auth middleware let the request in, so the account was live a moment ago: gone now means
  // it was deleted in between.
  if (!row?.found) throw new ApiError("invalid_token", "This account no longer exists.");
  if (row.refused) {
    throw new ApiError(
      "conflict",
      "data_processing_consent is the legal basis of your account and cannot be withdrawn on its own: delete the account (DELETE /v1/me) to stop all processing; it is erased after 30 days.",
    );
  }
  return {
    data_processing_consent: row.data_processing_consent,
    data_processing_consent_at: isoOrNull(row.data_processing_consent_at),
    marketing_consent: row.marketing_consent,
    marketing_consent_at: isoOrNull(row.marketing_consent_at),
  };
}
