import { z } from "@hono/zod-openapi";

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const CodeParamSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{12,64}$/, "is not a certificate code").openapi({ example: "q3Vb8tY1nR0cX5mLwP2aZg" }),
});

export const CertificateSchema = z
  .object({
    code: z.string().openapi({ description: "The public verification code" }),
    verification_url: z.string().openapi({ description: "GET it, no sign-in needed", example: "/v1/certificates/q3Vb8tY1nR0cX5mLwP2aZg" }),
    course_id: z.uuid().nullable().openapi({ description: "null once the course itself was removed; the certificate stands" }),
    user_id: z.uuid().openapi({ description: "The learner" }),
    course_title: z.string(),
    learner_name: z.string(),
    educator_name: z.string().nullable(),
    issued_at: timestamp,
    status: z.enum(["valid", "revoked"]),
    revoked_at: timestamp.nullable(),
    revocation_reason: z.string().nullable(),
    signature: z.string().openapi({ description: "Compact JWS (EdDSA / Ed25519) whose payload is the canonical certificate {v, code, course_id, user_id, course_title, learner_name, educator_name, issued_at}" }),
    signature_algorithm: z.string().openapi({ example: "Ed25519" }),
    signing_key_id: z.string().nullable().openapi({ description: "The kid of the key in GET /v1/certificates/keys" }),
    verified: z.boolean().openapi({ description: "The server checked the signature against exactly the values shown here" }),
  })
  .openapi("Certificate");

export const CertificateListSchema = z.object({ items: z.array(CertificateSchema), next_cursor: z.string().nullable() }).openapi("CertificateList");

export const CertificateListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const RevokeCertificateSchema = z
  .object({ reason: z.string().trim().min(1).max(1000).refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), "must not contain control characters") })
  .strict()
  .openapi("RevokeCertificate");

export const JwksSchema = z
  .object({
    keys: z.array(z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string(), alg: z.literal("EdDSA"), use: z.literal("sig") })),
  })
  .openapi("CertificateKeys");
