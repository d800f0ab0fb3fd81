import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("follows in the OpenAPI document", () => {
  it("publishes every route with its problem responses", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths["/v1/users/{username}/follow"])).toEqual(["put", "delete"]);
    expect(Object.keys(doc.paths["/v1/users/{username}/follow"].put.responses)).toEqual(["200", "401", "403", "404", "422", "429"]);
    for (const list of ["followers", "following"]) expect(Object.keys(doc.paths[`/v1/users/{username}/${list}`].get.responses)).toEqual(["200", "404", "422"]);
    expect(doc.paths["/v1/me/following/{username}"].get).toBeDefined();
  });
});
