/** A single byte range as R2 takes it, or "unsatisfiable" (bytes=-0). */
type ParsedRange = { offset: number; length?: number } | { suffix: number } | "unsatisfiable";

/**
 * `Range: bytes=a-b | a- | -n`. Only one range is served: a header R2 cannot express (several
 * ranges, another unit, a malformed one) is ignored and the whole object is sent with 200, as
 * RFC 9110 §14.2 allows. The range is parsed here rather than handed to R2 as headers: given the
 * headers, R2 (miniflare, measured) silently answers the whole object for a range past the end,
 * where HTTP wants 416; given an offset past the end it throws "not satisfiable (10039)".
 */
export function parseRange(header: string | null | undefined): ParsedRange | null {
  if (!header) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    return suffix === 0 ? "unsatisfiable" : { suffix };
  }
  const offset = Number(m[1]);
  if (m[2] === "") return { offset };
  const last = Number(m[2]);
  return last < offset ? null : { offset, length: last - offset + 1 };
}

/** Whether a request for this range includes the object's first byte (e.g. counts as a download). */
export const startsAtZero = (range: ParsedRange | null) => range === null || (typeof range === "object" && "offset" in range && range.offset === 0);

function isRangeError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /10039|not satisfiable|InvalidRange/i.test(message);
}

export interface ServeOptions {
  contentType: string;
  cacheControl: string;
  headers?: Record<string, string>;
  /** For the body of a 416. */
  requestId: string;
}

/**
 * Streams an R2 object, honouring a single-range `Range` header: 206 with Content-Range, 416 with
 * `Content-Range: bytes *\/size` when the range starts past the end. null when there is no such
 * object (the caller says what was missing).
 */
export async function serveObject(bucket: R2Bucket, key: string, request: Request, options: ServeOptions): Promise<Response | null> {
  const range = parseRange(request.headers.get("range"));
  let object: R2ObjectBody | null;
  if (range === "unsatisfiable") {
    const head = await bucket.head(key);
    if (!head) return null;
    return rangeProblem(head.size, options.requestId);
  }
  try {
    object = await bucket.get(key, range ? { range } : {});
  } catch (err) {
    if (!range || !isRangeError(err)) throw err;
    const head = await bucket.head(key);
    if (!head) return null;
    return rangeProblem(head.size, options.requestId);
  }
  if (!object) return null;

  const headers = new Headers({
    "Content-Type": options.contentType,
    "Cache-Control": options.cacheControl,
    "Accept-Ranges": "bytes",
    ETag: object.httpEtag,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
    ...options.headers,
  });
  if (range) {
    // Computed from what was asked and the object's size: R2 may echo a suffix range as asked.
    const start = "suffix" in range ? Math.max(0, object.size - range.suffix) : range.offset;
    const end = "suffix" in range || range.length === undefined ? object.size - 1 : Math.min(object.size, range.offset + range.length) - 1;
    headers.set("Content-Range", `bytes ${start}-${end}/${object.size}`);
    headers.set("Content-Length", String(end - start + 1));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

/**
 * 416 is a property of a byte range rather than an error of the platform's table (lib/errors.ts has
 * no code for it), so its problem body is written here, in the same shape.
 */
function rangeProblem(size: number, requestId: string): Response {
  const body = {
    type: "https://veza.dev/problems/range_not_satisfiable",
    title: "Range not satisfiable",
    status: 416,
    detail: `The requested range is not satisfiable: the object has ${size} bytes.`,
    code: "range_not_satisfiable",
    requestId,
  };
  return new Response(JSON.stringify(body), {
    status: 416,
    headers: { "content-type": "application/problem+json", "Content-Range": `bytes */${size}`, "Accept-Ranges": "bytes" },
  });
}
