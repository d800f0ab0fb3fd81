import { sql as fragment, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { wantsNotification } from "../../src/domains/notifications";
import { createUser, sql } from "../helpers/db";

const dialect = new PgDialect();
/** Runs a drizzle fragment through the test driver, as a creator's statement would. */
const run = (query: SQL) => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return sql.query(text, params);
};

/** A creator's INSERT ... SELECT: notifies each of `recipients` that wants a `type` notification. */
const notifyAll = async (actorId: string, recipients: string[], type: "like" | "follow" | "mention" | "system") =>
  (
    await run(fragment`
      INSERT INTO notifications (user_id, actor_id, type)
      SELECT r.id, ${actorId}::uuid, ${type}::notification_type FROM unnest(${`{${recipients.join(",")}}`}::uuid[]) AS r(id)
       WHERE ${wantsNotification(fragment`r.id`, type)}
      RETURNING user_id`)
  ).map((row) => row.user_id as string);

describe("wantsNotification", () => {
  it("follows the recipient's per-kind preference inside an INSERT ... SELECT", async () => {
    const actor = await createUser();
    const keen = await createUser();
    const quiet = await createUser();
    await sql.query("UPDATE user_settings SET email_on_like = false, email_on_mention = false WHERE user_id = $1", [quiet.id]);
    expect(await notifyAll(actor.id, [keen.id, quiet.id], "like")).toEqual([keen.id]);
    expect(await notifyAll(actor.id, [keen.id, quiet.id], "mention")).toEqual([keen.id]);
    expect((await notifyAll(actor.id, [keen.id, quiet.id], "follow")).sort()).toEqual([keen.id, quiet.id].sort());
  });

  it("never silences system notices, and ignores the channel switches", async () => {
    const actor = await createUser();
    const quiet = await createUser();
    await sql.query(
      `UPDATE user_settings SET email_on_follow = false, email_on_like = false, email_on_comment = false, email_on_message = false,
              email_on_mention = false, email_notifications = false, push_notifications = false WHERE user_id = $1`,
      [quiet.id],
    );
    expect(await notifyAll(actor.id, [quiet.id], "system")).toEqual([quiet.id]);
    const loud = await createUser();
    await sql.query("UPDATE user_settings SET email_notifications = false, push_notifications = false, browser_notifications = false WHERE user_id = $1", [loud.id]);
    expect(await notifyAll(actor.id, [loud.id], "like")).toEqual([loud.id]);
  });

  it("takes a user id as well as a column, and defaults to yes without a settings row", async () => {
    const quiet = await createUser();
    const bare = await createUser();
    await sql.query("UPDATE user_settings SET email_on_comment = false WHERE user_id = $1", [quiet.id]);
    await sql.query("DELETE FROM user_settings WHERE user_id = $1", [bare.id]);
    const wants = async (userId: string) => (await run(fragment`SELECT ${wantsNotification(userId, "comment")} AS yes`))[0]!.yes;
    expect(await wants(quiet.id)).toBe(false);
    expect(await wants(bare.id)).toBe(true);
  });
});
