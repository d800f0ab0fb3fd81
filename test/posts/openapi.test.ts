import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("posts in the OpenAPI document", () => {
  it("publishes every route, and says who sees a private post", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths["/v1/posts"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/posts/{id}"]).sort()).toEqual(["delete", "get", "patch"]);
    for (const sub of ["pin", "like", "repost"]) expect(Object.keys(doc.paths[`/v1/posts/{id}/${sub}`]).sort()).toEqual(["delete", "put"]);
    for (const path of ["/v1/posts/{id}/likes", "/v1/post-comments/{id}/replies", "/v1/users/{username}/posts", "/v1/explore", "/v1/hashtags/{tag}/posts", "/v1/hashtags", "/v1/groups/{slug}/posts", "/v1/posts/{id}/attachments/{fileId}"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(Object.keys(doc.paths["/v1/posts/{id}/comments"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/post-comments/{id}"]).sort()).toEqual(["delete", "patch"]);
    expect(doc.paths["/v1/posts"].post.description).toContain("private (visible to your followers and you)");
    expect(Object.keys(doc.paths["/v1/posts"].post.responses)).toEqual(["201", "401", "403", "409", "422", "429"]);
    expect(doc.components.schemas.Post).toBeDefined();
  });
});
