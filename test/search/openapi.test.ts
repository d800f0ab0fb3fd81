import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("search in the OpenAPI document", () => {
  it("publishes every route with its problem responses and optional or required auth", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    const search = doc.paths["/v1/search"].get;
    expect(Object.keys(search.responses)).toEqual(["200", "401", "403", "422"]);
    expect(search.security).toEqual([{}, { bearerAuth: [] }]);
    expect(search.parameters.map((p: { name: string }) => p.name)).toEqual(["q", "type", "limit", "cursor"]);
    expect(Object.keys(doc.paths["/v1/me/search-history"])).toEqual(["get", "delete"]);
    expect(doc.paths["/v1/me/search-history"].get.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths["/v1/me/search-history/{id}"].delete.responses)).toEqual(["204", "401", "403", "404", "422"]);
    expect(doc.components.schemas.UserSettings.properties.save_search_history).toEqual({ type: "boolean" });
  });
});
