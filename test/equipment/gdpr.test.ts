import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { LIST_SECTIONS, pageQuery } from "../../src/domains/gdpr/export-sections";
import { runJob } from "../../src/jobs/schedule";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { fullItem, maintenance, warranty } from "./fixtures";

describe("equipment and the account's data rights", () => {
  it("exports each item with its warranties and maintenance history", async () => {
    const ada = await signedInUser();
    const mine = await fullItem(ada);
    const w = await warranty(ada, mine.id, { policy_number: "POL-9" });
    const m = await maintenance(ada, mine.id, { notes: "Grille cleaned" });
    const section = LIST_SECTIONS.find((s) => s.name === "equipment")!;
    const { rows } = await createDb(env).execute<{ row: unknown }>(pageQuery(section, ada.id, null, 10));
    expect(rows).toHaveLength(1);
    const row = (typeof rows[0]!.row === "string" ? JSON.parse(rows[0]!.row) : rows[0]!.row) as Record<string, any>;
    expect(row).toMatchObject({ id: mine.id, serial_number: "SN-0042", notes: "Bought second-hand from a friend." });
    expect(row.warranties).toEqual([expect.objectContaining({ id: w.id, policy_number: "POL-9" })]);
    expect(row.maintenance).toEqual([expect.objectContaining({ id: m.id, notes: "Grille cleaned" })]);
  });

  it("erases the inventory, warranties and maintenance when the deleted account is anonymised", async () => {
    const ada = await signedInUser();
    const mine = await fullItem(ada, { is_public: true });
    await warranty(ada, mine.id);
    await maintenance(ada, mine.id);
    // deleted 31 days ago: anonymised by a run on today's clock, without reaching anyone deleted more recently
    await sql.query("UPDATE users SET deleted_at = now() - interval '31 days' WHERE id = $1", [ada.id]);
    await runJob("anonymise-deleted-accounts", env, new Date());
    const [row] = await sql.query(
      `SELECT (SELECT count(*) FROM equipment WHERE user_id = $1)::int AS items,
              (SELECT count(*) FROM equipment_warranties WHERE equipment_id = $2)::int AS warranties,
              (SELECT count(*) FROM equipment_maintenance WHERE equipment_id = $2)::int AS entries`,
      [ada.id, mine.id],
    );
    expect(row).toEqual({ items: 0, warranties: 0, entries: 0 });
  });
});
