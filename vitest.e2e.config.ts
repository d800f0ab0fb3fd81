import { defineConfig } from "vitest/config";

/**
 * `npm run test:e2e`: the web app in headless Chromium against the whole platform, started the
 * way `npm run dev` starts it but isolated (test/e2e/global-setup.ts). Files run one at a time:
 * the platform and the browser share the machine's cores.
 */
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Stopping wrangler dev and the database takes a few seconds.
    teardownTimeout: 60_000,
  },
});
