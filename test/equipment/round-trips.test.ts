import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { categoryId, imageFile, makeFile, ramp } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  const isJson = response.headers.get("content-type")?.includes("json");
  const json = isJson ? await response.json() : (await response.arrayBuffer(), null);
  return { status: response.status, roundTrips, body: json as Record<string, unknown> | null };
}

const one = (status: number) => ({ status, roundTrips: 1 });
const outcome = ({ status, roundTrips: n }: { status: number; roundTrips: number }) => ({ status, roundTrips: n });

describe("the hardware module's database round trips", () => {
  it("every read and write is one round trip, refusals included", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const photo = await imageFile(ada.id, ramp(10));
    const pdf = await makeFile(ada.id, { mime: "application/pdf", bytes: ramp(10) });
    const category = await categoryId();

    expect(outcome(await roundTrips(null, "GET", "/v1/equipment-categories"))).toEqual(one(200));
    const created = await roundTrips(ada, "POST", "/v1/me/equipment", { category_id: category, brand: "B", model: "M", photo_file_ids: [photo.id], is_public: true });
    expect(outcome(created)).toEqual(one(201));
    const id = created.body!.id as string;
    expect(outcome(await roundTrips(ada, "POST", "/v1/me/equipment", { category_id: category, brand: "B", model: "M", photo_file_ids: [pdf.id] }))).toEqual(one(422));
    expect(outcome(await roundTrips(ada, "GET", "/v1/me/equipment"))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "GET", `/v1/me/equipment?category_id=${category}`))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "GET", `/v1/me/equipment/${id}`))).toEqual(one(200));
    expect(outcome(await roundTrips(bob, "GET", `/v1/me/equipment/${id}`))).toEqual(one(404));
    expect(outcome(await roundTrips(ada, "PATCH", `/v1/me/equipment/${id}`, { nickname: "N" }))).toEqual(one(200));
    expect(outcome(await roundTrips(bob, "PATCH", `/v1/me/equipment/${id}`, { nickname: "N" }))).toEqual(one(404));

    const warranty = await roundTrips(ada, "POST", `/v1/me/equipment/${id}/warranties`, { provider: "P", start_date: "2025-01-01", end_date: "2026-01-01", document_file_ids: [pdf.id] });
    expect(outcome(warranty)).toEqual(one(201));
    const w = warranty.body!.id as string;
    expect(outcome(await roundTrips(ada, "GET", `/v1/me/equipment/${id}/warranties`))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "PATCH", `/v1/me/equipment/${id}/warranties/${w}`, { end_date: "2027-01-01" }))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "PATCH", `/v1/me/equipment/${id}/warranties/${w}`, { end_date: "2024-01-01" }))).toEqual(one(422));

    const entry = await roundTrips(ada, "POST", `/v1/me/equipment/${id}/maintenance`, { performed_on: "2025-01-01", maintenance_type: "service", next_due_date: "2026-01-01" });
    expect(outcome(entry)).toEqual(one(201));
    const m = entry.body!.id as string;
    expect(outcome(await roundTrips(ada, "GET", `/v1/me/equipment/${id}/maintenance`))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "PATCH", `/v1/me/equipment/${id}/maintenance/${m}`, { cost: "10.00" }))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "GET", "/v1/me/equipment/reminders?days=365"))).toEqual(one(200));

    expect(outcome(await roundTrips(null, "GET", `/v1/users/${ada.username}/equipment`))).toEqual(one(200));
    expect(outcome(await roundTrips(bob, "GET", `/v1/equipment/${id}`))).toEqual(one(200));
    expect(outcome(await roundTrips(null, "GET", `/v1/equipment/${id}/photos/${photo.id}`))).toEqual(one(200));
    expect(outcome(await roundTrips(ada, "GET", `/v1/me/equipment/${id}/documents/${pdf.id}`))).toEqual(one(200));

    expect(outcome(await roundTrips(ada, "DELETE", `/v1/me/equipment/${id}/maintenance/${m}`))).toEqual(one(204));
    expect(outcome(await roundTrips(ada, "DELETE", `/v1/me/equipment/${id}/warranties/${w}`))).toEqual(one(204));
    expect(outcome(await roundTrips(ada, "DELETE", `/v1/me/equipment/${id}`))).toEqual(one(204));
    expect(outcome(await roundTrips(null, "GET", `/v1/equipment/${id}`))).toEqual(one(404));
  });
});
