import { describe, expect, it } from "vitest";
import { parseMultistatus } from "../../src/domains/cloud/multistatus";
import { encodeDavPath } from "../../src/domains/cloud/webdav";
import { remoteName } from "../../src/domains/cloud/backup-sources";

/** A Nextcloud (SabreDAV) answer: `d:` prefix, other namespaces, a 404 propstat, quota, an escaped href. */
const NEXTCLOUD = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">
 <d:response>
  <d:href>/remote.php/dav/files/ada/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype><d:getetag>&quot;6560a2c0b1c1e&quot;</d:getetag>
   <d:quota-used-bytes>1048576</d:quota-used-bytes><d:quota-available-bytes>5368709120</d:quota-available-bytes></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:getcontentlength/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
 </d:response>
 <d:response>
  <d:href>/remote.php/dav/files/ada/My%20Song%20(1).wav</d:href>
  <d:propstat><d:prop><d:resourcetype/><d:getcontentlength>4096</d:getcontentlength><d:getlastmodified>Fri, 04 Dec 2026 20:33:20 GMT</d:getlastmodified></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>`;

/** Apache mod_dav style: a default namespace, no prefix, a comment and CDATA. */
const APACHE = `<?xml version="1.0" encoding="utf-8"?>
<!-- served by mod_dav -->
<multistatus xmlns="DAV:"><response><href><![CDATA[/dav/a&b.txt]]></href>
<propstat><prop><resourcetype></resourcetype><getcontentlength>12</getcontentlength><getetag>"abc"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>`;

describe("the multistatus reader", () => {
  it("reads a Nextcloud answer: collection, quota, size, date, decoded href, 404 propstats ignored", () => {
    const [root, file] = parseMultistatus(NEXTCLOUD);
    expect(root).toEqual({
      href: "/remote.php/dav/files/ada/", isCollection: true, size: null, etag: '"6560a2c0b1c1e"', lastModified: null,
      quotaUsedBytes: 1048576, quotaAvailableBytes: 5368709120,
    });
    expect(file).toMatchObject({ href: "/remote.php/dav/files/ada/My Song (1).wav", isCollection: false, size: 4096, lastModified: "Fri, 04 Dec 2026 20:33:20 GMT" });
  });

  it("reads an unprefixed answer with comments and CDATA", () => {
    expect(parseMultistatus(APACHE)).toEqual([
      { href: "/dav/a&b.txt", isCollection: false, size: 12, etag: '"abc"', lastModified: null, quotaUsedBytes: null, quotaAvailableBytes: null },
    ]);
  });

  it("refuses what is not a multistatus, or not well nested", () => {
    expect(() => parseMultistatus("<html><body>Login</body></html>")).toThrow("not a multistatus");
    expect(() => parseMultistatus("<d:multistatus xmlns:d='DAV:'><d:response></d:multistatus>")).toThrow();
  });
});

describe("remote names and paths", () => {
  it("keeps the uploaded name, made safe and unique by the file id", () => {
    expect(remoteName("Night Drive (final).wav", "1234abcd-0000-4000-8000-000000000000")).toBe("Night Drive (final) (1234abcd).wav");
    expect(remoteName('a/b\\c:d*e?f"g<h>i|j.flac', "ffffffff-0000")).toBe("a_b_c_d_e_f_g_h_i_j (ffffffff).flac");
    expect(remoteName("..", "00000000-x")).toBe("file (00000000)");
  });

  it("escapes each segment and refuses dot segments", () => {
    expect(encodeDavPath("/Veza/tracks/My Song #1?.wav")).toBe("Veza/tracks/My%20Song%20%231%3F.wav");
    expect(() => encodeDavPath("/Veza/../etc")).toThrow();
  });
});
