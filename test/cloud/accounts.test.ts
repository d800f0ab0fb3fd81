import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { call, connect, dav, seenBodies } from "./fixtures";

describe("connecting a WebDAV account", () => {
  it("tests the connection, then stores the account active with its password sealed", async () => {
    const ada = await signedInUser();
    const res = await connect(ada);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ provider: "webdav", server_url: dav.url, username: dav.username, display_name: "My NAS", status: "active", last_error: null });
    expect(res.body.last_tested_at).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty("app_password");
    expect(res.body).not.toHaveProperty("encrypted_password");
    const [row] = await sql.query("SELECT encrypted_password FROM cloud_accounts WHERE id = $1", [res.body.id]);
    expect(row!.encrypted_password).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(row!.encrypted_password).not.toContain(dav.password);
  });

  it("refuses a wrong password with a clear 422 and saves nothing", async () => {
    const ada = await signedInUser();
    const res = await connect(ada, { app_password: "not-the-password" });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "cloud_connection_failed", reason: "auth" });
    expect(res.body.detail).toContain("The server refused the username or app password.");
    const [row] = await sql.query("SELECT count(*)::int AS n FROM cloud_accounts WHERE user_id = $1", [ada.id]);
    expect(row!.n).toBe(0);
    const list = await call("GET", "/v1/me/cloud-accounts", { headers: ada.headers });
    expect(list.body.items).toEqual([]);
  });
});

describe("the server URL", () => {
  it("refuses plain http off loopback, credentials in the URL, and a Nextcloud URL with /remote.php", async () => {
    const ada = await signedInUser();
    for (const [server_url, provider] of [
      ["http://dav.example.com", "webdav"],
      [`http://u:p@${dav.url.slice("http://".length)}`, "webdav"],
      [`${dav.url}/?x=1`, "webdav"],
      ["https://cloud.example.com/remote.php/dav/files/ada", "nextcloud"],
      ["not a url", "webdav"],
    ] as const) {
      const res = await connect(ada, { server_url, provider });
      expect(res.status, server_url).toBe(422);
      expect(res.body.errors[0].path, server_url).toBe("json.server_url");
    }
  });

  it("answers 422 for a URL with no WebDAV endpoint and for a server that cannot be reached", async () => {
    const ada = await signedInUser();
    const missing = await connect(ada, { provider: "nextcloud" }); // /remote.php/dav/files/<user>/ does not exist there
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: "cloud_connection_failed", reason: "not_found" });
    expect(missing.body.detail).toContain("No WebDAV endpoint at that URL.");
    const closed = await connect(ada, { server_url: "http://127.0.0.1:9" });
    expect(closed.status).toBe(422);
    expect(closed.body).toMatchObject({ code: "cloud_connection_failed", reason: "network" });
    expect(closed.body.detail).toContain("could not be reached");
    expect((await sql.query("SELECT count(*)::int AS n FROM cloud_accounts WHERE user_id = $1", [ada.id]))[0]!.n).toBe(0);
  });

  it("stores the URL normalised and refuses the same account twice (409)", async () => {
    const ada = await signedInUser();
    expect((await connect(ada, { server_url: `${dav.url}//` })).body.server_url).toBe(dav.url);
    const twice = await connect(ada);
    expect(twice.status).toBe(409);
  });
});

describe("managing an account", () => {
  it("lists, reads, renames, pauses, resumes, re-tests and deletes my account", async () => {
    const ada = await signedInUser();
    const { body: account } = await connect(ada);
    const h = { headers: ada.headers };
    expect((await call("GET", "/v1/me/cloud-accounts", h)).body.items.map((a: { id: string }) => a.id)).toEqual([account.id]);
    expect((await call("GET", `/v1/me/cloud-accounts/${account.id}`, h)).body).toEqual(account);

    const renamed = await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { ...h, body: { display_name: "Home" } });
    expect(renamed.body).toMatchObject({ display_name: "Home", status: "active" });
    const paused = await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { ...h, body: { status: "disabled" } });
    expect(paused.body.status).toBe("disabled");
    const tested = await call("POST", `/v1/me/cloud-accounts/${account.id}/test`, h);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ status: "disabled", last_error: null }); // a test does not resume it
    const resumed = await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { ...h, body: { status: "active" } });
    expect(resumed.body.status).toBe("active");

    const job = await call("POST", "/v1/me/backup-jobs", { ...h, body: { cloud_account_id: account.id } });
    expect(job.status).toBe(201);
    expect((await call("DELETE", `/v1/me/cloud-accounts/${account.id}`, h)).status).toBe(204);
    expect((await call("GET", `/v1/me/cloud-accounts/${account.id}`, h)).status).toBe(404);
    expect((await call("GET", `/v1/me/backup-jobs/${job.body.id}`, h)).status).toBe(404);
    expect((await sql.query("SELECT count(*)::int AS n FROM cloud_accounts WHERE id = $1", [account.id]))[0]!.n).toBe(0);
  });

  it("re-tests a changed password before saving it: a wrong one is refused and the old one kept", async () => {
    const ada = await signedInUser();
    const { body: account } = await connect(ada);
    const [before] = await sql.query("SELECT encrypted_password FROM cloud_accounts WHERE id = $1", [account.id]);
    const wrong = await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { headers: ada.headers, body: { app_password: "nope-nope" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe("cloud_connection_failed");
    const [after] = await sql.query("SELECT encrypted_password, status FROM cloud_accounts WHERE id = $1", [account.id]);
    expect(after).toEqual({ encrypted_password: before!.encrypted_password, status: "active" });
    const right = await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { headers: ada.headers, body: { app_password: dav.password } });
    expect(right.status).toBe(200);
    const [resealed] = await sql.query("SELECT encrypted_password FROM cloud_accounts WHERE id = $1", [account.id]);
    expect(resealed!.encrypted_password).not.toBe(before!.encrypted_password); // a fresh IV
    for (const text of seenBodies) expect(text).not.toContain(dav.password);
  });

  it("records a failed re-test as status error with the reason", async () => {
    const ada = await signedInUser();
    const { body: account } = await connect(ada);
    await sql.query("UPDATE cloud_accounts SET username = 'someone-else' WHERE id = $1", [account.id]);
    const tested = await call("POST", `/v1/me/cloud-accounts/${account.id}/test`, { headers: ada.headers });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ status: "error", last_error: "The server refused the username or app password." });
  });
});
