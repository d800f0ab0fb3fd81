import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { listMyCertificates, revokeCertificate, verifyByCode } from "./certificates";
import * as r from "./routes";
import { publishedKeys } from "./signing";

/** Certificates (spec §11.7): issued on completion (./issue.ts), signed, publicly verifiable. */
export const certificates = createRouter()
  // before {code}: "keys" is not a code, but the static route must win
  .openapi(r.keysRoute, async (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.json(await publishedKeys(c.env), 200);
  })
  .openapi(r.myCertificatesRoute, async (c) => c.json(await listMyCertificates(c.var.db, c.env, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.verifyRoute, async (c) => c.json(await verifyByCode(c.var.db, c.env, c.req.valid("param").code), 200))
  .openapi(r.revokeRoute, async (c) =>
    c.json(await revokeCertificate(c.var.db, c.env, c.req.valid("param").code, currentUser(c), c.req.valid("json").reason), 200),
  );
