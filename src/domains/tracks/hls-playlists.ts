/**
 * Rewriting of the playlists the pipeline writes to R2 (URIs relative to their own folder:
 * `64k/index.m3u8` in the master, `seg-00000.mp3` in a media playlist) into what the API serves.
 *
 * The master is served at /v1/tracks/:id/hls/master.m3u8 and names the run (the processing
 * run's id, the last element of tracks.hls_path) in every URI, `<run>/64k/index.m3u8`: a new run
 * gets new URLs, so media playlists and segments can be cached as immutable. For a signed request
 * every URI also carries the signature's `?exp=&sig=`, since players do not pass a playlist's query
 * on to the URIs inside it.
 *
 * URIs are the non-comment lines and the URI="..." attributes of tags (#EXT-X-MEDIA,
 * #EXT-X-I-FRAME-STREAM-INF, #EXT-X-MAP, ...). Only relative URIs are touched; one that leaves the
 * folder (`..`, absolute, with a scheme) is left as it is, never prefixed into a path of ours.
 */

const RELATIVE = /^(?![a-z][a-z0-9+.-]*:)(?!\/)(?!.*\.\.)[^?#\s]+$/i;

function rewriteUri(uri: string, prefix: string, query: string): string {
  if (!RELATIVE.test(uri)) return uri;
  return `${prefix}${uri}${query}`;
}

function rewrite(text: string, prefix: string, query: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === "") return line;
      if (trimmed.startsWith("#")) return line.replace(/URI="([^"]*)"/g, (_, uri: string) => `URI="${rewriteUri(uri, prefix, query)}"`);
      return rewriteUri(trimmed, prefix, query);
    })
    .join("\n");
}

/** The master as served: each URI under `<run>/`, plus the signature's query when signed. */
export const rewriteMaster = (text: string, run: string, query: string) => rewrite(text, `${run}/`, query);

/** A media playlist as served: unchanged, unless signed (then each segment URI carries the query). */
export const rewriteMediaPlaylist = (text: string, query: string) => (query ? rewrite(text, "", query) : text);

/** The run of an HLS prefix `hls/<track>/<run>`. */
export const runOf = (hlsPath: string) => hlsPath.replace(/\/+$/, "").split("/").pop() ?? "";
