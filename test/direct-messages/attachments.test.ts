import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { bytesOf, call, makeFile, ramp } from "../tracks/fixtures";
import { messagesOf, send } from "./fixtures";

describe("attachments of direct messages", () => {
  it("attaches my own stored file, typed by its mime type, downloadable (with Range) by the two participants only", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const cy = await signedInUser();
    const bytes = ramp(3000);
    const image = await makeFile(ada.id, { mime: "image/png", originalFilename: "../cover \"1\".png", bytes });
    const res = await send(ada, bob, { content: "look", attachment_file_id: image.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      message_type: "image",
      attachment: { filename: "../cover \"1\".png", mime_type: "image/png", size: 3000, url: `/v1/me/direct-messages/${res.body.id}/attachment` },
    });
    const audio = await makeFile(ada.id, { mime: "audio/flac" });
    expect((await send(ada, bob, { content: "listen", attachment_file_id: audio.id })).body.message_type).toBe("audio");
    const pdf = await makeFile(ada.id, { mime: "application/pdf" });
    expect((await send(ada, bob, { content: "read", attachment_file_id: pdf.id })).body.message_type).toBe("file");

    const url = res.body.attachment.url as string;
    for (const user of [ada, bob]) {
      const whole = await call(url, { headers: user.headers });
      expect(whole.status).toBe(200);
      expect(whole.headers.get("content-type")).toBe("image/png");
      expect(whole.headers.get("content-disposition")).toBe(`attachment; filename="cover 1.png"; filename*=UTF-8''cover%201.png`);
      expect(whole.headers.get("cache-control")).toBe("private, no-store");
      expect(await bytesOf(whole)).toEqual(bytes);
    }
    const part = await call(url, { headers: { ...bob.headers, Range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/3000");
    expect(await bytesOf(part)).toEqual(bytes.slice(100, 200));

    expect((await call(url, { headers: cy.headers })).status).toBe(404);
    expect((await call(url)).status).toBe(401);
    // deleted for me: no longer mine to download; the other side still may
    expect((await api("DELETE", `/v1/me/direct-messages/${res.body.id}`, { headers: bob.headers })).status).toBe(204);
    expect((await call(url, { headers: bob.headers })).status).toBe(404);
    expect((await call(url, { headers: ada.headers })).status).toBe(200);
    // a message without an attachment has none to download
    const plain = await send(ada, bob, { content: "plain" });
    expect((await call(`/v1/me/direct-messages/${plain.body.id}/attachment`, { headers: ada.headers })).status).toBe(404);
  });

  it("refuses someone else's file, a deleted one and an upload that has not completed (422)", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const theirs = await makeFile(bob.id, { mime: "image/png" });
    const deleted = await makeFile(ada.id, { mime: "image/png", deleted: true });
    const upload = await api("POST", "/v1/uploads", {
      headers: ada.headers,
      body: { filename: "a.wav", size: 1000, mime_type: "audio/wav", sha256: "a".repeat(64) },
    });
    expect(upload.status).toBe(201);
    for (const id of [theirs.id, deleted.id, upload.body.id, "00000000-0000-4000-8000-000000000000"]) {
      const res = await send(ada, bob, { content: "see", attachment_file_id: id });
      expect(res.status, id).toBe(422);
      expect(res.body.errors).toEqual([{ path: "json.attachment_file_id", message: "is not a completed file of yours" }]);
    }
    expect((await send(ada, bob, { content: "see", attachment_file_id: "nope" })).status).toBe(422);
    expect((await messagesOf(ada, bob)).body.items).toEqual([]);
  });
});
