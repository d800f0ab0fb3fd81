// The "zod" of the Worker bundle (wrangler.toml [alias]): zod v4's classic entry
// (node_modules/zod/v4/classic/external.js) without the `locales` and `core` namespaces.
// `@hono/zod-openapi` imports zod as one namespace object, which keeps everything that namespace
// re-exports — including ~360 KiB of translations, 40 % of the bundle, parsed on every cold start.
// Nothing in the Worker uses `z.locales` or `z.core` (zod registers English by itself), so dropping
// them lets the bundler leave the translations out. Tests and tools import zod unchanged.
// Keep in step with node_modules/zod/v4/classic/external.js when upgrading zod.
import * as z from "./zod-external.js";
export * from "./zod-external.js";
export { z, z as default };
