import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { UpdateSettingsSchema, type UpdateSettings } from "./inputs";
import { json, problems } from "./responses";
import { SettingsSchema } from "./schemas";
import { setClause, settingsJson } from "./sql-fragments";

type Settings = typeof SettingsSchema._output;

const SETTINGS_JSON = settingsJson("s");

function settingsOf(rows: { settings: Settings }[]): Settings {
  const settings = rows[0]?.settings;
  if (!settings) throw new ApiError("invalid_token", "This account no longer exists.");
  return settings;
}

/** One round trip: the user's settings row (every user has one, made by a trigger on users). */
export async function findSettings(db: Database, userId: string): Promise<Settings> {
  const { rows } = await db.execute<{ settings: Settings }>(
    sql`SELECT ${sql.raw(SETTINGS_JSON)} AS settings FROM user_settings s WHERE s.user_id = ${userId}`,
  );
  return settingsOf(rows);
}

/** One round trip: the given columns change, the row comes back from the same UPDATE. */
export async function updateSettings(db: Database, userId: string, patch: UpdateSettings): Promise<Settings> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (!Object.keys(changes).length) return findSettings(db, userId);
  const { rows } = await db.execute<{ settings: Settings }>(
    sql`UPDATE user_settings s SET ${setClause(changes)} WHERE s.user_id = ${userId} RETURNING ${sql.raw(SETTINGS_JSON)} AS settings`,
  );
  return settingsOf(rows);
}

const getSettings = createRoute({
  method: "get",
  path: "/v1/me/settings",
  tags: ["Account"],
  summary: "My settings",
  description: "Notification, privacy and playback preferences (user_settings). One database round trip.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  responses: { 200: json("My settings", SettingsSchema), 401: problems[401], 403: problems[403] },
});

const patchSettings = createRoute({
  method: "patch",
  path: "/v1/me/settings",
  tags: ["Account"],
  summary: "Change some of my settings",
  description: "Partial update: only the fields present change. Answers every setting. One database round trip.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  request: { body: { required: true, content: { "application/json": { schema: UpdateSettingsSchema } } } },
  responses: { 200: json("My settings", SettingsSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const settings = createRouter()
  .openapi(getSettings, async (c) => c.json(await findSettings(c.var.db, currentUser(c).userId), 200))
  .openapi(patchSettings, async (c) => c.json(await updateSettings(c.var.db, currentUser(c).userId, c.req.valid("json")), 200));
