import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { ALL_RIGHT, completeLessons, createQuiz, enrol, makeCourse, submit } from "../quizzes/fixtures";

/** A second key, as a rotation would put in CERTIFICATE_SIGNING_KEY (test-only). */
const NEXT_KEY = { kty: "OKP", crv: "Ed25519", kid: "test-2026-02", x: "l7Jtfpq_9JLLBZnqog7tfOuvreBIRYRZNkW1KpPPHXI", d: "XI_sWPQ2f7jAvrRrojBH5uxAjSv7ceIYIcg6X7dYBu4" };
const { d: _, ...currentPublic } = JSON.parse(env.CERTIFICATE_SIGNING_KEY) as Record<string, string>;

async function certificateCode() {
  const [educator, learner] = await Promise.all([signedInUser(), signedInUser()]);
  const course = await makeCourse(educator.id, { lessons: 1 });
  await enrol(course.id, learner.id);
  const quiz = await createQuiz(educator, course.id);
  await completeLessons(learner.id, course.id, course.lessons);
  return (await submit(learner, quiz.id, ALL_RIGHT)).body.certificate.code as string;
}

describe("certificate signing keys", () => {
  it("after a rotation, certificates of the retired key keep verifying while it is listed in CERTIFICATE_PUBLIC_KEYS", async () => {
    const code = await certificateCode();
    const rotated = { CERTIFICATE_SIGNING_KEY: JSON.stringify(NEXT_KEY), CERTIFICATE_PUBLIC_KEYS: JSON.stringify([currentPublic]) };
    const page = await api("GET", `/v1/certificates/${code}`, { bindings: rotated });
    expect(page.body).toMatchObject({ signing_key_id: "test-2026-01", verified: true });
    const keys = await api("GET", "/v1/certificates/keys", { bindings: rotated });
    expect(keys.body.keys.map((k: { kid: string }) => k.kid)).toEqual(["test-2026-02", "test-2026-01"]);
    expect(keys.body.keys.some((k: Record<string, unknown>) => "d" in k)).toBe(false);

    // a key no longer published verifies nothing
    const forgotten = await api("GET", `/v1/certificates/${code}`, { bindings: { CERTIFICATE_SIGNING_KEY: JSON.stringify(NEXT_KEY), CERTIFICATE_PUBLIC_KEYS: "" } });
    expect(forgotten.body.verified).toBe(false);
  });

  it("the JWKS publishes the current key's public part only", async () => {
    const keys = await api("GET", "/v1/certificates/keys");
    expect(keys.body).toEqual({ keys: [{ kty: "OKP", crv: "Ed25519", x: currentPublic.x, kid: "test-2026-01", alg: "EdDSA", use: "sig" }] });
  });
});
