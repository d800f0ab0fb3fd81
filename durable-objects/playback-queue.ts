import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env";

/**
 * One Durable Object per user: the live play queue shared by all of that user's devices
 * (DESIGN §4). Declared now with its SQLite migration; its behaviour is built by the listening
 * issue, and no route reaches the class before then.
 */
export class PlaybackQueue extends DurableObject<Env> {}
