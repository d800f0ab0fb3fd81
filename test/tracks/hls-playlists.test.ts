import { describe, expect, it } from "vitest";
import { rewriteMaster, rewriteMediaPlaylist, runOf } from "../../src/domains/tracks/hls-playlists";

describe("playlist rewriting", () => {
  it("puts every relative URI of a master under the run, in lines and URI attributes, with the signature when given", () => {
    const master = [
      "#EXTM3U",
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="lo",URI="64k/index.m3u8"',
      "#EXT-X-STREAM-INF:BANDWIDTH=70000",
      "64k/index.m3u8",
      "",
      "#EXT-X-STREAM-INF:BANDWIDTH=135000",
      "  128k/index.m3u8  ",
      "",
    ].join("\r\n");
    expect(rewriteMaster(master, "run-1", "?exp=1&sig=s")).toBe(
      [
        "#EXTM3U",
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="lo",URI="run-1/64k/index.m3u8?exp=1&sig=s"',
        "#EXT-X-STREAM-INF:BANDWIDTH=70000",
        "run-1/64k/index.m3u8?exp=1&sig=s",
        "",
        "#EXT-X-STREAM-INF:BANDWIDTH=135000",
        "run-1/128k/index.m3u8?exp=1&sig=s",
        "",
      ].join("\n"),
    );
  });

  it("leaves absolute URIs, URIs that climb out of the folder and URIs with a query alone", () => {
    const text = "#EXTM3U\nhttps://cdn.example/x.m3u8\n/v1/other/index.m3u8\n../../secret/index.m3u8\n64k/index.m3u8?v=2\n";
    expect(rewriteMaster(text, "r", "?exp=1&sig=s")).toBe(text);
  });

  it("signs a media playlist's segments, and serves it as it is when unsigned", () => {
    const media = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg-00000.mp3\n#EXT-X-ENDLIST\n";
    expect(rewriteMediaPlaylist(media, "")).toBe(media);
    expect(rewriteMediaPlaylist(media, "?exp=9&sig=z")).toBe("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg-00000.mp3?exp=9&sig=z\n#EXT-X-ENDLIST\n");
  });

  it("takes the run from the HLS prefix", () => {
    expect(runOf("hls/t/0b7e7d1c-7b9c-4d5e-9f00-000000000001")).toBe("0b7e7d1c-7b9c-4d5e-9f00-000000000001");
    expect(runOf("hls/t/r/")).toBe("r");
  });
});
