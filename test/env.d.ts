// Types for `cloudflare:workers` / `cloudflare:test` in tests: the Worker's bindings and main module.
import type { Env as VezaEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends VezaEnv {}
    interface GlobalProps {
      mainModule: typeof import("../src/index");
      durableNamespaces: "ChatRoom" | "PlaybackQueue";
    }
  }
}
