import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { send } from "./fixtures";
import { freshRateWindow } from "../helpers/rate-window";

/** POSTING_LIMITER, scope "dm": 20 messages a minute per sender (wrangler.toml [[ratelimits]]). */
describe("the direct-message write limit", () => {
  it("refuses the 21st message in a minute with 429 and Retry-After, for that sender only", async () => {
    const [chatty, bob, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await freshRateWindow();
    for (let n = 1; n <= 20; n++) expect((await send(chatty, bob, { content: `message ${n}` })).status).toBe(201);
    const refused = await send(chatty, bob, { content: "one too many" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.body).toMatchObject({ code: "rate_limited" });
    expect(await sql.query("SELECT count(*)::int AS n FROM direct_messages WHERE sender_id = $1", [chatty.id])).toEqual([{ n: 20 }]);
    expect((await send(other, bob, { content: "my own budget" })).status).toBe(201);
  });
});
