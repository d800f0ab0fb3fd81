import { sql, type SQL } from "drizzle-orm";
import type { Env } from "../../env";
import { iso } from "../tracks/track-view";
import { canonicalPayload, verifyCertificate } from "./signing";

/** A certificate as the database row holds it (timestamps as ISO strings, to the millisecond). */
export type CertificateRow = {
  code: string;
  course_id: string | null;
  user_id: string;
  course_title: string;
  learner_name: string;
  educator_name: string | null;
  signature: string;
  signature_algorithm: string;
  signing_key_id: string | null;
  issued_at: string;
  revoked_at: string | null;
  revocation_reason: string | null;
};

export type CertificateView = CertificateRow & {
  status: "valid" | "revoked";
  /** The public page of this certificate (GET, no sign-in). */
  verification_url: string;
  /** The server checked `signature` against the snapshot shown here with a published key. */
  verified: boolean;
};

export const verificationPath = (code: string) => `/v1/certificates/${code}`;

/** The columns of CertificateRow, from a `certificates` row aliased `alias`. */
export function certificateColumns(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`${a}.code, ${a}.course_id, ${a}.user_id, ${a}.course_title, ${a}.learner_name, ${a}.educator_name,
       ${a}.signature, ${a}.signature_algorithm, ${a}.signing_key_id,
       ${iso(`${alias}.issued_at`)} AS issued_at, ${iso(`${alias}.revoked_at`)} AS revoked_at, ${a}.revocation_reason`;
}

/** The row as shown, after checking its signature against its own snapshot. */
export async function toCertificateView(env: Env, row: CertificateRow): Promise<CertificateView> {
  const verified =
    row.signature_algorithm === "Ed25519" &&
    (await verifyCertificate(env, row.signature, row.signing_key_id, canonicalPayload(row)));
  return {
    ...row,
    status: row.revoked_at ? "revoked" : "valid",
    verification_url: verificationPath(row.code),
    verified,
  };
}
