import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { block, draft, imageFile, listed, makeFile, patch, ramp } from "./fixtures";

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://veza.test${path}`, { headers });
const bytesOf = async (res: Response) => [...new Uint8Array(await res.arrayBuffer())];

describe("GET /v1/products/:id/preview", () => {
  it("streams the preview to anyone who may see the product, with byte ranges", async () => {
    const ada = await signedInUser();
    const eve = await signedInUser();
    const audio = await makeFile(ada.id, { mime: "audio/mpeg", bytes: ramp(1000) });
    const { product } = await listed(ada, { preview_file_id: audio.id });
    expect(product.preview).toMatchObject({ id: audio.id, url: `/v1/products/${product.id}/preview`, mime_type: "audio/mpeg" });

    const whole = await get(product.preview.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("audio/mpeg");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("cache-control")).toContain("public");
    expect(await bytesOf(whole)).toEqual([...ramp(1000)]);

    const part = await get(product.preview.url, { Range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(await bytesOf(part)).toEqual([...ramp(1000).slice(100, 200)]);
    const tail = await get(product.preview.url, { Range: "bytes=-10" });
    expect(tail.status).toBe(206);
    expect(await bytesOf(tail)).toEqual([...ramp(1000).slice(990)]);
    const past = await get(product.preview.url, { Range: "bytes=5000-" });
    expect(past.status).toBe(416);
    await past.arrayBuffer();

    await block(ada, eve);
    expect((await api("GET", product.preview.url, { headers: eve.headers })).status).toBe(404);
    await patch(ada, product.id, { preview_file_id: null });
    expect((await api("GET", product.preview.url)).status).toBe(404);
  });

  it("serves a draft's preview to its seller only (privately cached), and 404s without a preview", async () => {
    const ada = await signedInUser();
    const audio = await makeFile(ada.id, { mime: "audio/wav", bytes: ramp(64) });
    const d = await draft(ada, { preview_file_id: audio.id });
    expect((await api("GET", `/v1/products/${d.id}/preview`)).status).toBe(404);
    const own = await get(`/v1/products/${d.id}/preview`, ada.headers);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toContain("private");
    await own.arrayBuffer();
    const bare = await draft(ada);
    expect((await api("GET", `/v1/products/${bare.id}/preview`, { headers: ada.headers })).status).toBe(404);
  });
});

describe("GET /v1/products/:id/images/:fileId", () => {
  it("serves the product's images, never its deliverables or other files", async () => {
    const ada = await signedInUser();
    const image = await imageFile(ada.id, new Uint8Array([9, 8, 7]));
    const deliverable = await makeFile(ada.id, { mime: "image/png", bytes: new Uint8Array([1, 2, 3]) });
    const other = await imageFile(ada.id, new Uint8Array([4, 5]));
    const { product } = await listed(ada, { image_file_ids: [image.id], download_file_ids: [deliverable.id] });
    expect(product.images).toEqual([{ id: image.id, url: `/v1/products/${product.id}/images/${image.id}`, mime_type: "image/png" }]);
    const res = await get(product.images[0].url);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("max-age=31536000");
    expect(await bytesOf(res)).toEqual([9, 8, 7]);
    expect((await api("GET", `/v1/products/${product.id}/images/${deliverable.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/products/${product.id}/images/${other.id}`)).status).toBe(404);
    // the deliverable is not reachable as a preview either
    expect((await api("GET", `/v1/products/${product.id}/preview`)).status).toBe(404);
  });
});
