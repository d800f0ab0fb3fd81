import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("flags in the OpenAPI document", () => {
  it("publishes every route with its schemas, and says how long a change takes to be seen", async () => {
    const res = await api("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(Object.keys(doc.paths["/v1/flags"])).toEqual(["get"]);
    for (const kind of ["flags", "configs"]) {
      expect(Object.keys(doc.paths[`/v1/admin/${kind}`]).sort()).toEqual(["get", "post"]);
      expect(Object.keys(doc.paths[`/v1/admin/${kind}/{key}`]).sort()).toEqual(["delete", "get", "patch"]);
      expect(doc.paths[`/v1/admin/${kind}`].post.security).toEqual([{ bearerAuth: [] }]);
    }
    expect(doc.paths["/v1/flags"].get.description).toContain("within 30 s");
    for (const schema of ["ClientFlags", "FeatureFlag", "CreateFeatureFlag", "UpdateFeatureFlag", "SystemConfig", "CreateSystemConfig", "UpdateSystemConfig"]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
  });
});
