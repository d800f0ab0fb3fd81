import { describe, expect, it } from "vitest";
import { call } from "./fixtures";

describe("the upload routes in the API description", () => {
  it("documents every route, the part's Content-Length and the upload and file shapes", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths["/v1/uploads"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/uploads/{id}"]).sort()).toEqual(["delete", "get"]);
    expect(Object.keys(doc.paths["/v1/uploads/{id}/complete"])).toEqual(["post"]);
    const put = doc.paths["/v1/uploads/{id}/parts/{n}"].put;
    expect(put.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(["header:content-length", "path:id", "path:n"]);
    expect(Object.keys(put.requestBody.content)).toEqual(["application/octet-stream"]);
    expect(doc.components.schemas.Upload.required).toEqual(expect.arrayContaining(["status", "parts", "missing_parts", "bytes_uploaded", "expires_at"]));
    expect(doc.components.schemas.StoredFile.required).toEqual(expect.arrayContaining(["id", "mime_type", "kind", "size", "sha256", "url"]));
    expect(JSON.stringify(doc.components.schemas.DuplicateUploadProblem)).toContain("file_id");
    expect(JSON.stringify(doc.paths["/v1/uploads/{id}/complete"].post.responses["409"])).toContain("missing_parts");
  });
});
