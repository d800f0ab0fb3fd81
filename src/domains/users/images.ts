import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { ApiError, notFound } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { IMAGE_KINDS, IMMUTABLE, MAX_IMAGE_BYTES, checkImage, storeProfileImage, type ImageKind } from "./image-store";
import { json, problems } from "./responses";

const binary = z.string().openapi({ format: "binary" });
const imageContent = { "image/png": { schema: binary }, "image/jpeg": { schema: binary }, "image/webp": { schema: binary } };

const StoredImageSchema = z
  .object({
    kind: z.enum(IMAGE_KINDS),
    url: z.string().openapi({ description: "Public, immutable address of the image (relative to the API origin)" }),
    file_id: z.uuid(),
    mime_type: z.enum(["image/png", "image/jpeg", "image/webp"]),
    file_size: z.number().int(),
    file_hash: z.string().openapi({ description: "SHA-256 of the bytes, lowercase hex" }),
  })
  .openapi("StoredImage");

/** The app caps binary bodies at the platform's 100 MB; profile images get their own 5 MiB. */
const imageBodyLimit = bodyLimit({
  maxSize: MAX_IMAGE_BYTES,
  onError: () => {
    throw new ApiError("payload_too_large", `An image may be at most ${MAX_IMAGE_BYTES} bytes.`);
  },
});

const putImage = (kind: ImageKind) =>
  createRoute({
    method: "put",
    path: `/v1/me/${kind.slice(0, -1)}`,
    tags: ["Account"],
    summary: `Upload my ${kind.slice(0, -1)}`,
    description: `The raw image is the body (PNG, JPEG or WebP, at most 5 MiB; the real type is read from the bytes and must match Content-Type, otherwise 415). Stored in R2 and recorded in files; the profile's ${kind.slice(0, -1)}_url then points at its public, immutable address. The image it replaces is deleted. An optional Content-Disposition filename is kept as the original name. One database round trip.`,
    security: [{ bearerAuth: [] }],
    middleware: [requireAuth(), imageBodyLimit] as const,
    request: { body: { required: true, content: imageContent } },
    responses: {
      200: json("The stored image", StoredImageSchema),
      401: problems[401],
      403: problems[403],
      409: problems[409],
      413: problems[413],
      415: problems[415],
    },
  });

const getImage = createRoute({
  method: "get",
  path: "/v1/media/{kind}/{userId}/{name}",
  tags: ["Profiles"],
  summary: "A profile image",
  description:
    "Streams an avatar or banner from R2. Public and immutable: cached for a year, with an ETag (If-None-Match answers 304). No database round trip.",
  request: {
    params: z.object({
      kind: z.enum(IMAGE_KINDS),
      userId: z.uuid(),
      name: z.string().regex(/^[A-Za-z0-9_-]{8,64}\.(png|jpg|webp)$/, "is not an image name"),
    }),
  },
  responses: {
    200: { description: "The image", content: imageContent },
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    404: problems[404],
    422: problems[422],
  },
});

function imageHandler(kind: ImageKind) {
  return async (c: Parameters<Parameters<ReturnType<typeof createRouter>["openapi"]>[1]>[0]) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const type = checkImage(bytes, c.req.header("content-type"));
    return c.json(await storeProfileImage(c, kind, currentUser(c).userId, bytes, type), 200);
  };
}

export const images = createRouter()
  .openapi(putImage("avatars"), imageHandler("avatars"))
  .openapi(putImage("banners"), imageHandler("banners"))
  .openapi(getImage, async (c) => {
    const { kind, userId, name } = c.req.valid("param");
    const object = await c.env.MEDIA.get(`${kind}/${userId}/${name}`, { onlyIf: c.req.raw.headers });
    if (!object) throw notFound("This image");
    const headers = new Headers({
      ETag: object.httpEtag,
      "Cache-Control": IMMUTABLE,
      // an image, never a document: nothing in it may run or be framed
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "X-Content-Type-Options": "nosniff",
    });
    if (!("body" in object)) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", object.httpMetadata?.contentType ?? "application/octet-stream");
    headers.set("Content-Length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  });
