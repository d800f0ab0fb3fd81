import { CompactSign, compactVerify, importJWK, type JWK } from "jose";
import type { Env } from "../../env";

/**
 * Certificates are signed with Ed25519 (JWS alg EdDSA). The signature is a compact JWS whose payload
 * is the canonical certificate (below), so anyone can verify one offline against the public keys
 * published at GET /v1/certificates/keys (a JWKS), then compare its payload with what is shown.
 *
 * Keys: CERTIFICATE_SIGNING_KEY is the current private key, a JWK JSON ({"kty":"OKP","crv":"Ed25519",
 * "d":…,"x":…,"kid":…}). Rotation: put the new key there and move the old key's PUBLIC part (no "d")
 * into CERTIFICATE_PUBLIC_KEYS (a JSON array of JWKs, or a JWKS {"keys":[…]}): certificates signed by
 * a retired key keep verifying and its key stays published.
 */

export const SIGNATURE_ALGORITHM = "Ed25519";
const JWS_ALG = "EdDSA";
const JWS_TYPE = "veza-certificate+jws";

/** What a certificate's signature covers, in this key order (the JWS payload is exactly this JSON). */
export type CertificatePayload = {
  v: 1;
  code: string;
  course_id: string | null;
  user_id: string;
  course_title: string;
  learner_name: string;
  educator_name: string | null;
  issued_at: string;
};

export function canonicalPayload(p: Omit<CertificatePayload, "v">): CertificatePayload {
  return {
    v: 1,
    code: p.code,
    course_id: p.course_id,
    user_id: p.user_id,
    course_title: p.course_title,
    learner_name: p.learner_name,
    educator_name: p.educator_name,
    issued_at: p.issued_at,
  };
}

export type PublicJwk = { kty: "OKP"; crv: "Ed25519"; x: string; kid: string; alg: "EdDSA"; use: "sig" };

type Keyring = { signing: { kid: string; key: CryptoKey }; verifying: Map<string, Promise<CryptoKey>>; published: PublicJwk[] };

const keyrings = new Map<string, Promise<Keyring>>();

function parseJwk(text: string, name: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${name} must be a JWK as JSON`);
  }
}

function publicPart(jwk: JWK, name: string): PublicJwk {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || typeof jwk.kid !== "string" || jwk.kid === "") {
    throw new Error(`${name}: every key must be an Ed25519 JWK (kty OKP, crv Ed25519) with x and a kid`);
  }
  return { kty: "OKP", crv: "Ed25519", x: jwk.x, kid: jwk.kid, alg: JWS_ALG, use: "sig" };
}

function retiredKeys(text: string | undefined): PublicJwk[] {
  if (!text?.trim()) return [];
  const parsed = parseJwk(text, "CERTIFICATE_PUBLIC_KEYS") as unknown;
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(list)) throw new Error("CERTIFICATE_PUBLIC_KEYS must be a JSON array of JWKs or a JWKS");
  return list.map((k) => publicPart(k as JWK, "CERTIFICATE_PUBLIC_KEYS"));
}

async function buildKeyring(signingKey: string, retired: string | undefined): Promise<Keyring> {
  const jwk = parseJwk(signingKey, "CERTIFICATE_SIGNING_KEY");
  if (typeof jwk.d !== "string") throw new Error("CERTIFICATE_SIGNING_KEY must be a private JWK (with d)");
  const current = publicPart(jwk, "CERTIFICATE_SIGNING_KEY");
  const signing = { kid: current.kid, key: (await importJWK({ ...jwk, alg: JWS_ALG }, JWS_ALG)) as CryptoKey };
  const published = [current, ...retiredKeys(retired).filter((k) => k.kid !== current.kid)];
  const verifying = new Map(published.map((k) => [k.kid, importJWK(k, JWS_ALG) as Promise<CryptoKey>]));
  return { signing, verifying, published };
}

/** The keys of this deployment, imported once per isolate. */
function keyringOf(env: Pick<Env, "CERTIFICATE_SIGNING_KEY" | "CERTIFICATE_PUBLIC_KEYS">): Promise<Keyring> {
  if (!env.CERTIFICATE_SIGNING_KEY) throw new Error("CERTIFICATE_SIGNING_KEY is not configured");
  const id = `${env.CERTIFICATE_SIGNING_KEY}\n${env.CERTIFICATE_PUBLIC_KEYS ?? ""}`;
  let ring = keyrings.get(id);
  if (!ring) {
    ring = buildKeyring(env.CERTIFICATE_SIGNING_KEY, env.CERTIFICATE_PUBLIC_KEYS);
    ring.catch(() => keyrings.delete(id));
    keyrings.set(id, ring);
  }
  return ring;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Signs the canonical payload with the current key: the compact JWS and the key's id. */
export async function signCertificate(env: Env, payload: CertificatePayload): Promise<{ jws: string; kid: string }> {
  const { signing } = await keyringOf(env);
  const jws = await new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: JWS_ALG, kid: signing.kid, typ: JWS_TYPE })
    .sign(signing.key);
  return { jws, kid: signing.kid };
}

/**
 * True only when `jws` is a valid signature, by a published key whose id is `kid`, of exactly
 * `expected`: a row whose snapshot, code, key id or signature was altered does not verify.
 */
export async function verifyCertificate(env: Env, jws: string, kid: string | null, expected: CertificatePayload): Promise<boolean> {
  if (!kid) return false;
  const key = (await keyringOf(env)).verifying.get(kid);
  if (!key) return false;
  try {
    const { payload, protectedHeader } = await compactVerify(jws, await key, { algorithms: [JWS_ALG] });
    return protectedHeader.kid === kid && protectedHeader.typ === JWS_TYPE && decoder.decode(payload) === JSON.stringify(expected);
  } catch {
    return false;
  }
}

/** The public keys (current and retired), as a JWKS. */
export async function publishedKeys(env: Env): Promise<{ keys: PublicJwk[] }> {
  return { keys: (await keyringOf(env)).published };
}
