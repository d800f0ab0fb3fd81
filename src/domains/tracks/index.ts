import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { serveCover } from "./cover";
import { createTrack } from "./create-track";
import { deleteTrack } from "./delete-track";
import { serveDownload } from "./download";
import { findTrack, findTrackStatus } from "./find-track";
import { serveMaster, serveMediaPlaylist, serveSegment, streamUrl } from "./hls";
import { listCreatorTracks } from "./list-tracks";
import { coverRoute, downloadRoute, masterPlaylistRoute, mediaPlaylistRoute, segmentRoute } from "./media-routes";
import { recordPlay } from "./record-play";
import { reprocessTrack } from "./reprocess-track";
import {
  createTrackRoute,
  deleteTrackRoute,
  getTrackRoute,
  getTrackStatusRoute,
  listCreatorTracksRoute,
  recordPlayRoute,
  reprocessTrackRoute,
  streamRoute,
  updateTrackRoute,
} from "./routes";
import { forgetStreamAccess } from "./stream-access";
import { updateTrack } from "./update-track";
import { viewerOf } from "./viewer";

/**
 * Tracks (spec §7.1) and their playback: create from an upload, read, change, delete, list a
 * creator's; the processing status; HLS streaming, cover and download from R2; play counting.
 * The media routes answer with streams, not JSON: their routes document the bytes, and the
 * handlers return plain Responses (typed `never` for the route helpers, which only know JSON).
 */
export const tracks = createRouter()
  .openapi(createTrackRoute, async (c) => c.json(await createTrack(c.var.db, c.env, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(getTrackRoute, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await findTrack(c.var.db, c.env.JWT_SECRET, c.req.valid("param").id, viewer?.userId ?? null), 200);
  })
  .openapi(getTrackStatusRoute, async (c) => {
    const status = await findTrackStatus(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null);
    c.header("Cache-Control", "no-store");
    return c.json(status, 200);
  })
  .openapi(updateTrackRoute, async (c) => {
    const { id } = c.req.valid("param");
    const track = await updateTrack(c.var.db, c.env.JWT_SECRET, id, currentUser(c).userId, c.req.valid("json"));
    forgetStreamAccess(id);
    return c.json(track, 200);
  })
  .openapi(deleteTrackRoute, async (c) => {
    const { id } = c.req.valid("param");
    await deleteTrack(c.var.db, id, currentUser(c), auditOriginOf(c));
    forgetStreamAccess(id);
    return c.body(null, 204);
  })
  .openapi(reprocessTrackRoute, async (c) => {
    const { id } = c.req.valid("param");
    const track = await reprocessTrack(c.var.db, c.env, id, currentUser(c).userId);
    forgetStreamAccess(id);
    return c.json(track, 202);
  })
  .openapi(listCreatorTracksRoute, async (c) => {
    const viewer = viewerOf(c);
    return c.json(await listCreatorTracks(c.var.db, c.env.JWT_SECRET, c.req.valid("param").username, viewer?.userId ?? null, c.req.valid("query")), 200);
  })
  .openapi(recordPlayRoute, async (c) => {
    const viewer = viewerOf(c);
    const played = await recordPlay(c.var.db, c.req.valid("param").id, viewer?.userId ?? null, c.req.valid("json"));
    return c.json(played, 201);
  })
  .openapi(streamRoute, async (c) => {
    const stream = await streamUrl(c, c.req.valid("param").id);
    c.header("Cache-Control", "private, no-store");
    return c.json(stream, 200);
  })
  .openapi(masterPlaylistRoute, async (c) => (await serveMaster(c, c.req.valid("param").id, c.req.valid("query"))) as never)
  .openapi(mediaPlaylistRoute, async (c) => (await serveMediaPlaylist(c, c.req.valid("param"), c.req.valid("query"))) as never)
  .openapi(segmentRoute, async (c) => (await serveSegment(c, c.req.valid("param"), c.req.valid("query"))) as never)
  .openapi(coverRoute, async (c) => (await serveCover(c, c.req.valid("param"), c.req.valid("query"))) as never)
  .openapi(downloadRoute, async (c) => (await serveDownload(c, c.req.valid("param").id, c.req.valid("query"))) as never);
