// Vite's `?raw` imports (a file's text), and the static-assets binding of wrangler.toml [assets]
// (the Worker itself never calls it: src/env.ts does not list it).
declare module "*?raw" {
  const text: string;
  export default text;
}

declare namespace Cloudflare {
  interface Env {
    ASSETS: Fetcher;
  }
}
