/**
 * The SHA-256 the API wants before the first byte is sent (it is checked on completion, and finds
 * an upload of the same file already under way).
 *
 * Web Crypto has no streaming digest: `crypto.subtle.digest` needs the whole file in one buffer,
 * which is fine for a few megabytes and not for a 2 GB master on a phone. Above WEB_CRYPTO_LIMIT
 * the file is read in slices and fed to hash-wasm's incremental SHA-256 (MIT, no dependencies,
 * ~10 KB gzip for the SHA-256 module alone), loaded only then: most uploads never download it, and
 * memory stays at one slice whatever the size. Pages served without a secure context (no
 * `crypto.subtle`) use it too.
 */
import { MiB } from "./formats";

const WEB_CRYPTO_LIMIT = 8 * MiB;
const SLICE = 4 * MiB;

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Lowercase hex SHA-256 of `file`; `onProgress` gets the bytes hashed so far. Rejects with an AbortError when `signal` aborts. */
export async function sha256OfFile(file: Blob, onProgress?: (hashed: number) => void, signal?: AbortSignal): Promise<string> {
  const webCrypto = globalThis.crypto?.subtle;
  if (file.size <= WEB_CRYPTO_LIMIT && webCrypto) return wholeFile(webCrypto, file, onProgress, signal);
  let hasher: Awaited<ReturnType<typeof import("hash-wasm").createSHA256>>;
  try {
    const { createSHA256 } = await import("hash-wasm");
    hasher = await createSHA256();
  } catch (err) {
    // No WebAssembly here (disabled, or refused by a content security policy): the whole file at
    // once is still better than no upload.
    if (webCrypto) return wholeFile(webCrypto, file, onProgress, signal);
    throw err;
  }
  hasher.init();
  // Read the next slice while this one is hashed.
  let next = file.slice(0, SLICE).arrayBuffer();
  for (let offset = 0; offset < file.size; offset += SLICE) {
    const bytes = new Uint8Array(await next);
    signal?.throwIfAborted();
    if (offset + SLICE < file.size) next = file.slice(offset + SLICE, offset + 2 * SLICE).arrayBuffer();
    hasher.update(bytes);
    onProgress?.(Math.min(file.size, offset + SLICE));
  }
  return hasher.digest("hex");
}

async function wholeFile(webCrypto: SubtleCrypto, file: Blob, onProgress?: (hashed: number) => void, signal?: AbortSignal): Promise<string> {
  const digest = await webCrypto.digest("SHA-256", await file.arrayBuffer());
  signal?.throwIfAborted();
  onProgress?.(file.size);
  return hex(digest);
}
