import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { freePort } from "./scripts/free-port";

// A free loopback port for this run's dev database server, fixed before the Workers start.
process.env.VEZA_TEST_DB_PORT ??= String(await freePort());
const databaseUrl = `postgres://veza:veza@127.0.0.1:${process.env.VEZA_TEST_DB_PORT}/veza`;

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts", "./test/webdav-setup.ts", "./test/web/build-setup.ts"],
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
              bindings: {
                DATABASE_URL: databaseUrl,
                ENVIRONMENT: "test",
                CORS_ORIGINS: "https://app.veza.test",
                APP_URL: "https://app.veza.test",
                MAIL_PROVIDER: "dev",
                MAIL_FROM: "Veza (test) <no-reply@veza.test>",
                JWT_SECRET: "test-only-jwt-secret-0123456789abcdefghijkl",
                ENCRYPTION_KEY: "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=",
                CERTIFICATE_SIGNING_KEY: '{"kty":"OKP","crv":"Ed25519","kid":"test-2026-01","x":"z0vIus42POikKHboFg2cNlJyvLBlLwwhi1JbZCmJoag","d":"ifUtzSkXgLWJiBNRTaGE7WdGZirHfbycw5H4RM6kjOU"}',
                GOOGLE_CLIENT_ID: "google-client", GOOGLE_CLIENT_SECRET: "google-secret",
                GITHUB_CLIENT_ID: "github-client", GITHUB_CLIENT_SECRET: "github-secret",
                DISCORD_CLIENT_ID: "discord-client", DISCORD_CLIENT_SECRET: "discord-secret",
                SPOTIFY_CLIENT_ID: "spotify-client", SPOTIFY_CLIENT_SECRET: "spotify-secret",
                STRIPE_SECRET_KEY: "sk_test_veza_0123456789", STRIPE_WEBHOOK_SECRET: "whsec_test_veza_0123456789",
              },
            },
          }),
        ],
        // wrangler.toml's [alias] for the Worker bundle, where workerd needs it too (see the stub).
        resolve: { alias: { "@eshaz/web-worker": new URL("./scripts/media/web-worker-stub.js", import.meta.url).pathname } },
        test: { name: "worker", include: ["test/**/*.test.ts"], exclude: ["test/scripts/**"], testTimeout: 30_000, hookTimeout: 120_000, silent: "passed-only" },
      },
      {
        // The Node-side tooling: migrations on PGlite and PostgreSQL, the dev database server's protocol.
        test: { name: "scripts", include: ["test/scripts/**/*.test.ts"], environment: "node", testTimeout: 30_000, hookTimeout: 120_000, silent: "passed-only" },
      },
    ],
  },
});
