import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { jsonBody, signedIn } from "../products/responses";
import { CertificateListQuerySchema, CertificateListSchema, CertificateSchema, CodeParamSchema, JwksSchema, RevokeCertificateSchema } from "./schemas";

const tags = ["Certificates"];
/** Verification is for anyone: a token, if sent, is not even read. */
const anyone: Array<Record<string, string[]>> = [];

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("A banned account; not the course's educator nor a moderator"),
  404: problem("No certificate has this code"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export const keysRoute = createRoute({
  method: "get",
  path: "/v1/certificates/keys",
  tags,
  summary: "The certificate signing keys (JWKS)",
  description:
    "The Ed25519 public keys, current and retired, as a JSON Web Key Set: verify a certificate's `signature` (a compact JWS) offline with the key of its `signing_key_id`, then compare the JWS payload with the certificate. No database round trip.",
  security: anyone,
  responses: { 200: json("The public keys", JwksSchema) },
});

export const myCertificatesRoute = createRoute({
  method: "get",
  path: "/v1/me/certificates",
  tags,
  summary: "My certificates",
  description: "Newest first, by cursor; revoked ones too, marked. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: CertificateListQuerySchema },
  responses: { 200: json("A page of certificates", CertificateListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const verifyRoute = createRoute({
  method: "get",
  path: "/v1/certificates/{code}",
  tags,
  summary: "Verify a certificate (public)",
  description:
    "Anyone, no sign-in: what the certificate says (course, learner, educator, issued_at), its status (valid or revoked, with when and why), its signature and key id, and `verified`: true only when the server checked the signature against exactly these values. One database round trip.",
  security: anyone,
  request: { params: CodeParamSchema },
  responses: { 200: json("The certificate", CertificateSchema), 404: problems[404], 422: problems[422] },
});

export const revokeRoute = createRoute({
  method: "post",
  path: "/v1/certificates/{code}/revoke",
  tags,
  summary: "Revoke a certificate (its course's educator, moderators)",
  description:
    "With a reason, shown on the certificate's public page. The certificate keeps verifying as revoked. Idempotent: a revoked certificate keeps its first reason. A refunded course purchase revokes on its own. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "certificate-revoke")] as const,
  request: { params: CodeParamSchema, body: jsonBody(RevokeCertificateSchema) },
  responses: { 200: json("The certificate, revoked", CertificateSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});
