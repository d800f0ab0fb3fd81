import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { call } from "../tracks/fixtures";
import { banUser, block, fullItem, imageFile, patch, PRIVATE_KEYS, softDeleteUser, warranty } from "./fixtures";

/** The status of a photo request (its body read and dropped). */
async function photoStatus(path: string, headers: Record<string, string> = {}) {
  const res = await call(path, { headers });
  await res.arrayBuffer();
  return res.status;
}

const PUBLIC_KEYS = ["brand", "category", "created_at", "id", "model", "nickname", "photos"];

describe("equipment is private by default", () => {
  it("shows a new item to its owner only: not to anonymous visitors, other users, or on the profile", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const photo = await imageFile(ada.id, new Uint8Array([1, 2, 3]));
    const mine = await fullItem(ada, { photo_file_ids: [photo.id] });
    expect(mine.is_public).toBe(false);

    for (const headers of [{}, bob.headers]) {
      expect((await api("GET", `/v1/equipment/${mine.id}`, { headers })).status).toBe(404);
      expect((await photoStatus(`/v1/equipment/${mine.id}/photos/${photo.id}`, headers))).toBe(404);
      const profile = await api("GET", `/v1/users/${ada.username}/equipment`, { headers });
      expect(profile.status).toBe(200);
      expect(profile.body.items).toEqual([]);
    }
    // "me" is bob: ada's item is not his, and its existence is not confirmed (404, never 403)
    for (const path of [`/v1/me/equipment/${mine.id}`, `/v1/me/equipment/${mine.id}/warranties`, `/v1/me/equipment/${mine.id}/maintenance`]) {
      expect((await api("GET", path, { headers: bob.headers })).status, path).toBe(404);
    }
    expect((await api("GET", "/v1/me/equipment", { headers: bob.headers })).body.items).toEqual([]);
    // even its owner sees the profile as others do: private items are not on it
    expect((await api("GET", `/v1/users/${ada.username}/equipment`, { headers: ada.headers })).body.items).toEqual([]);

    const own = await api("GET", "/v1/me/equipment", { headers: ada.headers });
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect(own.body.items[0]).toMatchObject({ serial_number: "SN-0042", purchase_price: "399.00", is_public: false });
    expect((await api("GET", `/v1/equipment/${mine.id}`, { headers: ada.headers })).status).toBe(200);
    expect((await photoStatus(`/v1/equipment/${mine.id}/photos/${photo.id}`, ada.headers))).toBe(200);
  });

  it("marking an item public shows it on the profile as a gear card, without any private field", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const photo = await imageFile(ada.id, new Uint8Array([9]));
    const mine = await fullItem(ada, { photo_file_ids: [photo.id] });
    await warranty(ada, mine.id);
    expect((await patch(ada, mine.id, { is_public: true })).status).toBe(200);

    for (const headers of [{}, bob.headers, ada.headers]) {
      const profile = await api("GET", `/v1/users/${ada.username}/equipment`, { headers });
      expect(profile.status).toBe(200);
      expect(profile.body.items).toHaveLength(1);
      const card = profile.body.items[0];
      expect(Object.keys(card).sort()).toEqual(PUBLIC_KEYS);
      expect(card).toMatchObject({ id: mine.id, brand: "Shure", model: "SM7B", nickname: "Studio mic", category: { slug: "microphones" } });
      expect(card.photos).toEqual([{ id: photo.id, url: `/v1/equipment/${mine.id}/photos/${photo.id}`, mime_type: "image/png" }]);
      for (const key of PRIVATE_KEYS) expect(card).not.toHaveProperty(key);
      expect(JSON.stringify(profile.body)).not.toContain("SN-0042");

      const one = await api("GET", `/v1/equipment/${mine.id}`, { headers });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(card);
      expect((await photoStatus(`/v1/equipment/${mine.id}/photos/${photo.id}`, headers))).toBe(200);
    }
    // public on the profile does not open the owner's records
    expect((await api("GET", `/v1/me/equipment/${mine.id}`, { headers: bob.headers })).status).toBe(404);
    expect((await api("GET", `/v1/me/equipment/${mine.id}/warranties`, { headers: bob.headers })).status).toBe(404);

    // and making it private again hides it at once
    expect((await patch(ada, mine.id, { is_public: false })).status).toBe(200);
    expect((await api("GET", `/v1/users/${ada.username}/equipment`)).body.items).toEqual([]);
    expect((await api("GET", `/v1/equipment/${mine.id}`)).status).toBe(404);
  });

  it("hides public gear of banned and deleted owners, of private profiles, across blocks, and once deleted", async () => {
    const [ada, bob, cyd, dan, eve] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    const shown = async (owner: typeof ada, viewer: typeof ada | null = null) => {
      const res = await api("GET", `/v1/users/${owner.username}/equipment`, { headers: viewer?.headers ?? {} });
      return res.status;
    };
    const adaItem = await fullItem(ada, { is_public: true });
    const bobItem = await fullItem(bob, { is_public: true });
    const cydItem = await fullItem(cyd, { is_public: true });
    const danItem = await fullItem(dan, { is_public: true });
    expect(await shown(ada)).toBe(200);

    await banUser(ada.id);
    expect(await shown(ada)).toBe(404);
    expect((await api("GET", `/v1/equipment/${adaItem.id}`)).status).toBe(404);

    await softDeleteUser(bob.id);
    expect(await shown(bob)).toBe(404);
    expect((await api("GET", `/v1/equipment/${bobItem.id}`)).status).toBe(404);

    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [cyd.id]);
    expect(await shown(cyd, eve)).toBe(404);
    expect((await api("GET", `/v1/equipment/${cydItem.id}`, { headers: eve.headers })).status).toBe(404);

    await block(dan, eve);
    expect(await shown(dan, eve)).toBe(404);
    expect((await api("GET", `/v1/equipment/${danItem.id}`, { headers: eve.headers })).status).toBe(404);
    expect(await shown(dan)).toBe(200); // anonymous: no block to apply

    expect((await api("DELETE", `/v1/me/equipment/${danItem.id}`, { headers: dan.headers })).status).toBe(204);
    expect((await api("GET", `/v1/users/${dan.username}/equipment`)).body.items).toEqual([]);
    expect((await api("GET", `/v1/equipment/${danItem.id}`)).status).toBe(404);
    expect((await api("GET", "/v1/users/nobody_has_this_name_x/equipment")).status).toBe(404);
  });
});
