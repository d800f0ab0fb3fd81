import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { openQueueSocket } from "./open-socket";
import { operateQueue, readQueue } from "./queue-object";
import {
  addQueueItemsRoute,
  clearQueueRoute,
  endedRoute,
  getQueueRoute,
  moveQueueItemRoute,
  nextRoute,
  pauseRoute,
  playRoute,
  previousRoute,
  queueSettingsRoute,
  queueSocketRoute,
  removeQueueItemRoute,
  replaceQueueRoute,
  seekRoute,
} from "./routes";

/**
 * The live playback queue (spec §7.7-§7.8, DESIGN §4): the WebSocket and the REST operations, all
 * served by the user's PlaybackQueue Durable Object (durable-objects/playback-queue.ts).
 */
export const playbackQueue = createRouter()
  .openapi(queueSocketRoute, async (c) => (await openQueueSocket(c, c.req.valid("query"))) as never)
  .openapi(getQueueRoute, async (c) => c.json(await readQueue(c.env, currentUser(c).userId), 200))
  .openapi(replaceQueueRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "replace", ...c.req.valid("json") }), 200))
  .openapi(addQueueItemsRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "add", ...c.req.valid("json") }), 200))
  .openapi(clearQueueRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "clear", ...c.req.valid("query") }), 200))
  .openapi(removeQueueItemRoute, async (c) => {
    const op = { type: "remove" as const, item_id: c.req.valid("param").itemId, ...c.req.valid("query") };
    return c.json(await operateQueue(c.env, currentUser(c).userId, op), 200);
  })
  .openapi(moveQueueItemRoute, async (c) => {
    const op = { type: "move" as const, item_id: c.req.valid("param").itemId, ...c.req.valid("json") };
    return c.json(await operateQueue(c.env, currentUser(c).userId, op), 200);
  })
  .openapi(playRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "play", ...c.req.valid("json") }), 200))
  .openapi(pauseRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "pause", ...c.req.valid("json") }), 200))
  .openapi(nextRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "next", ...c.req.valid("json") }), 200))
  .openapi(previousRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "previous", ...c.req.valid("json") }), 200))
  .openapi(endedRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "ended", ...c.req.valid("json") }), 200))
  .openapi(seekRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "seek", ...c.req.valid("json") }), 200))
  .openapi(queueSettingsRoute, async (c) => c.json(await operateQueue(c.env, currentUser(c).userId, { type: "settings", ...c.req.valid("json") }), 200));
