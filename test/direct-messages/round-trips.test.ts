import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeFile, ramp } from "../tracks/fixtures";
import { sent } from "./fixtures";

/**
 * DESIGN §8: one round trip per read, at most two per write. The users' auth state is cached by
 * their earlier requests (as at the edge), so these are the endpoints' own statements: each is one.
 */
describe("database round trips of the direct-message and block routes", () => {
  it("is one for every route", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const other = await signedInUser();
    const file = await makeFile(ada.id, { mime: "image/png", bytes: ramp(10) });
    const first = await sent(ada, bob, "first");
    const second = await sent(ada, bob, "second");
    const withFile = (await api("POST", `/v1/me/conversations/${bob.username}/messages`, { headers: ada.headers, body: { content: "file", attachment_file_id: file.id } })).body;
    await api("GET", "/v1/me/conversations", { headers: bob.headers }); // warms bob's auth state
    const cases: [string, string, Record<string, string>, object?][] = [
      ["POST", `/v1/me/conversations/${bob.username}/messages`, ada.headers, { content: "rt", attachment_file_id: file.id }],
      ["GET", "/v1/me/conversations", ada.headers],
      ["GET", `/v1/me/conversations/${ada.username}/messages?limit=1`, bob.headers],
      ["POST", `/v1/me/conversations/${ada.username}/read`, bob.headers, { up_to_id: first.id }],
      ["GET", `/v1/me/direct-messages/${withFile.id}/attachment`, bob.headers],
      ["DELETE", `/v1/me/direct-messages/${second.id}`, bob.headers],
      ["PUT", `/v1/me/blocks/${other.username}`, ada.headers, { reason: "rt" }],
      ["GET", "/v1/me/blocks", ada.headers],
      ["DELETE", `/v1/me/blocks/${other.username}`, ada.headers],
    ];
    for (const [method, path, headers, body] of cases) {
      const request = new Request(`https://veza.test${path}`, {
        method,
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const { response, roundTrips } = await withRoundTrips(request);
      expect(response.status, `${method} ${path}: ${response.status < 300 ? "" : await response.clone().text()}`).toBeLessThan(300);
      await response.arrayBuffer();
      expect(roundTrips, `${method} ${path}`).toBe(1);
    }
  });
});
