import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * The web app, built into web/dist and served by the Worker as static assets (wrangler.toml [assets]).
 * Run from the repository root as `vite build web` (root = this directory).
 */
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Every browser that runs ES2022 supports <link rel="modulepreload">: no polyfill in the shell.
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  // `vite web` (dev server with hot reload) talks to `npm run dev`'s Worker for the API.
  server: {
    proxy: Object.fromEntries(
      ["/v1", "/health", "/dev", "/docs", "/openapi.json"].map((p) => [p, { target: "http://127.0.0.1:8787", ws: true }]),
    ),
  },
});
