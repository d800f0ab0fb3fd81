import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "@hono/zod-openapi";
import { passwordHistory, users } from "../../db/schema";
import type { AppEnv } from "../../env";
import { actAs } from "../../lib/audit";
import { hashPassword } from "../../lib/auth/passwords";
import { ApiError } from "../../lib/errors";
import { issueEmailVerification } from "../account-email/service";
import type { RegisterBodySchema } from "./schemas";
import { issueSession, newRefreshToken } from "./sessions";
import { toAuthUser } from "./user-view";

type RegisterInput = z.infer<typeof RegisterBodySchema>;

/** The unique index a failed INSERT hit, from the driver error (drizzle wraps it in causes). */
function violatedConstraint(err: unknown): string | null {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const f = e as { code?: unknown; constraint?: unknown };
    if (f.code === "23505") return typeof f.constraint === "string" ? f.constraint : "";
  }
  return null;
}

/**
 * Creates an account and signs it in: one round trip (user, first password_history row and the
 * first session in one batch, with the id made here so nothing waits for RETURNING), then the
 * verification email. Both consents are stamped with the time they were given.
 */
export async function registerUser(c: Context<AppEnv>, input: RegisterInput) {
  const db = c.var.db;
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  const session = await newRefreshToken(db, c, id);

  let created;
  try {
    const [, inserted, , tokens] = await db.batch([
      db.execute(actAs(id)),
      db
        .insert(users)
        .values({
          id,
          email: input.email,
          username: input.username,
          passwordHash,
          displayName: input.display_name ?? null,
          dataProcessingConsent: true,
          dataProcessingConsentAt: sql`now()`,
          marketingConsent: input.marketing_consent ?? false,
          marketingConsentAt: input.marketing_consent ? sql`now()` : null,
          lastPasswordChangeAt: sql`now()`,
        })
        .returning({
          id: users.id,
          email: users.email,
          username: users.username,
          display_name: users.displayName,
          role: users.role,
          token_version: users.tokenVersion,
          email_verified_at: users.emailVerifiedAt,
          created_at: users.createdAt,
        }),
      db.insert(passwordHistory).values({ userId: id, passwordHash }),
      session.insert,
    ]);
    created = { user: inserted[0]!, familyId: tokens[0]!.familyId };
  } catch (err) {
    const constraint = violatedConstraint(err);
    if (constraint === null) throw err;
    // Which field is taken is what the form needs; nothing about the other account is said.
    const field = constraint.includes("username") ? "username" : "email";
    throw new ApiError("conflict", `This ${field} is already taken.`, { errors: [{ path: `json.${field}`, message: "is already taken" }], cause: err });
  }

  const user = toAuthUser(created.user);
  // Never throws: a failure is logged and the person asks for another link.
  await issueEmailVerification(c, { id, email: user.email, username: user.username });
  return {
    user,
    session: await issueSession(c, { id, role: created.user.role, tokenVersion: created.user.token_version }, created.familyId, session.refreshToken),
  };
}
