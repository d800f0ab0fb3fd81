import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../lib/router";
import { findPublicProfile } from "./profile-query";
import { json, problems } from "./responses";
import { PublicProfileSchema } from "./schemas";

const getProfile = createRoute({
  method: "get",
  path: "/v1/users/{username}",
  tags: ["Profiles"],
  summary: "A public profile",
  description:
    "Anyone may read it, signed in or not; the username is matched case-insensitively. Counters (followers, following, tracks, playlists), stats over public tracks (total plays and likes), displayed badges in the user's order and verified roles. A private profile is visible to its owner only (404 for anyone else), an unlisted one to whoever has its address; deleted and banned accounts are 404. Email only if the user shows it, location unless they hide it. One database round trip.",
  request: {
    params: z.object({
      username: z.string().regex(/^[a-zA-Z0-9_]{3,30}$/, "must be 3-30 letters, digits or underscores").openapi({ example: "ada_lovelace" }),
    }),
  },
  responses: { 200: json("The profile", PublicProfileSchema), 404: problems[404], 422: problems[422] },
});

export const profile = createRouter().openapi(getProfile, async (c) =>
  c.json(await findPublicProfile(c.var.db, c.req.valid("param").username, c.var.auth?.userId ?? null), 200),
);
