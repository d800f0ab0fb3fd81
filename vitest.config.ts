import { createServer } from "node:net";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** A free loopback port for this run's dev database server, fixed before the Workers start. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

process.env.VEZA_TEST_DB_PORT ??= String(await freePort());
const databaseUrl = `postgres://veza:veza@127.0.0.1:${process.env.VEZA_TEST_DB_PORT}/veza`;

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    silent: "passed-only",
    hookTimeout: 120_000,
    projects: [
      {
        // Integration tests inside workerd: the real Worker, R2, Queues and Durable Objects under miniflare.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { DATABASE_URL: databaseUrl, ENVIRONMENT: "test", CORS_ORIGINS: "https://app.veza.test" },
            },
          }),
        ],
        test: { name: "worker", include: ["test/**/*.test.ts"], exclude: ["test/scripts/**"] },
      },
      {
        // The Node-side tooling: migrations on PGlite and PostgreSQL, the dev database server's protocol.
        test: { name: "scripts", include: ["test/scripts/**/*.test.ts"], environment: "node" },
      },
    ],
  },
});
