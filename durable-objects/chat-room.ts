import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env";

/**
 * One Durable Object per chat room (DESIGN §4): WebSockets through the Hibernation API, messages
 * written to the room's SQLite storage before they are broadcast, flushed to Postgres by alarm.
 * The binding and its SQLite migration are declared now so deployments never need a class rename;
 * the room's protocol is built by the chat issue, and no route reaches the class before then.
 */
export class ChatRoom extends DurableObject<Env> {}
