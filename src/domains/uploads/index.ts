import { currentUser } from "../../lib/auth/middleware";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { abortUpload } from "./abort-upload";
import { completeUpload } from "./complete-upload";
import { createUpload } from "./create-upload";
import { getUpload } from "./get-upload";
import { withProblemFields } from "./problems";
import { abortUploadRoute, completeUploadRoute, createUploadRoute, getUploadRoute, uploadPartRoute } from "./routes";
import { uploadPart } from "./upload-part";

const isOctetStream = (type: string | undefined) => (type ?? "").split(";")[0]!.trim().toLowerCase() === "application/octet-stream";

/**
 * Resumable uploads to R2 (DESIGN §5): create → parts → complete, or abort. Only the owner sees
 * or touches an upload; anyone else's is "not found". The stored file is what tracks, covers and
 * avatars are made from.
 */
export const uploads = createRouter()
  .openapi(createUploadRoute, (c) =>
    withProblemFields(c, async () => {
      const upload = await createUpload(c.var.db, c.env.MEDIA, c.var.log, currentUser(c).userId, c.req.valid("json"));
      return c.json(upload, 201, { Location: `/v1/uploads/${upload.id}` });
    }) as never,
  )
  .openapi(getUploadRoute, async (c) => c.json(await getUpload(c.var.db, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(uploadPartRoute, async (c) => {
    if (!isOctetStream(c.req.header("content-type"))) throw new ApiError("unsupported_media_type", "Send a part as application/octet-stream.");
    const { id, n } = c.req.valid("param");
    const upload = await uploadPart(c.var.db, c.env.MEDIA, {
      userId: currentUser(c).userId,
      uploadId: id,
      partNumber: n,
      contentLength: c.req.valid("header")["content-length"],
      body: c.req.raw.body,
    });
    return c.json(upload, 200);
  })
  .openapi(completeUploadRoute, (c) =>
    withProblemFields(c, async () => {
      const { file, created } = await completeUpload(c.var.db, c.env.MEDIA, currentUser(c).userId, c.req.valid("param").id);
      return created ? c.json(file, 201) : c.json(file, 200);
    }) as never,
  )
  .openapi(abortUploadRoute, async (c) => {
    await abortUpload(c.var.db, c.env.MEDIA, c.var.log, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
