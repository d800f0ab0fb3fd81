import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { currentSettings, flagOn } from "../../lib/flags";
import { viewerOf } from "../tracks/viewer";

/**
 * GET /v1/flags: the flags on for the viewer and the public settings, from the cached snapshot
 * (src/lib/flags.ts): no database round trip while it is cached, the viewer's auth state included.
 */
export async function clientFlags(c: Context<AppEnv>): Promise<{ flags: string[]; configs: Record<string, unknown> }> {
  const viewer = viewerOf(c);
  const settings = await currentSettings(c.var.db);
  const rules = Object.values(settings.flags);
  const on = await Promise.all(rules.map((flag) => flagOn(flag, viewer)));
  const flags = rules.filter((_, i) => on[i]).map((flag) => flag.key).sort();
  const configs = Object.fromEntries(Object.entries(settings.configs).filter(([, entry]) => entry.is_public).map(([key, entry]) => [key, entry.value]));
  return { flags, configs };
}
