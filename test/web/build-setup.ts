/**
 * Global setup of the worker tests: wrangler.toml's [assets] directory must hold the web app (a
 * fresh clone has no web/dist). Builds it once when missing; a build already there is kept
 * (`npm run dev` keeps it current).
 */
import { ensureWebBuilt } from "../../scripts/web-build";

export default async function setup() {
  await ensureWebBuilt();
}
