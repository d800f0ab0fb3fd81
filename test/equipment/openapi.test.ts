import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("equipment in the OpenAPI document", () => {
  it("publishes every route with its schemas, and says who sees an item", async () => {
    const res = await api("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(Object.keys(doc.paths["/v1/me/equipment"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/me/equipment/{id}"]).sort()).toEqual(["delete", "get", "patch"]);
    for (const sub of ["warranties", "maintenance"]) expect(Object.keys(doc.paths[`/v1/me/equipment/{id}/${sub}`]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/me/equipment/{id}/warranties/{warrantyId}"]).sort()).toEqual(["delete", "patch"]);
    expect(Object.keys(doc.paths["/v1/me/equipment/{id}/maintenance/{maintenanceId}"]).sort()).toEqual(["delete", "patch"]);
    for (const path of ["/v1/equipment-categories", "/v1/me/equipment/reminders", "/v1/me/equipment/{id}/documents/{fileId}", "/v1/users/{username}/equipment", "/v1/equipment/{id}", "/v1/equipment/{id}/photos/{fileId}"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths["/v1/users/{username}/equipment"].get.description).toContain("never its serial number");
    for (const schema of ["Equipment", "EquipmentSummary", "PublicEquipment", "EquipmentWarranty", "EquipmentMaintenance", "EquipmentReminder", "CreateEquipment", "UpdateEquipment"]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas.PublicEquipment.properties)).not.toContain("serial_number");
  });
});
