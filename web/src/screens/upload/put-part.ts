/**
 * One part of an upload, sent with XMLHttpRequest: fetch() cannot report how much of a request
 * body has gone out, and `upload.onprogress` is what makes the progress bar real.
 */
import type { Problem } from "../../api";
import type { UploadView } from "./api-types";

export type PartResult =
  | { ok: true; upload: UploadView }
  /** `status` 0: the request never got an answer (network down, connection reset, aborted on the way). */
  | { ok: false; status: number; problem: Partial<Problem> | null; retryAfterMs: number | null };

export interface PartRequest {
  uploadId: string;
  partNumber: number;
  body: Blob;
  accessToken: string | null;
  /** Bytes of this part sent so far. */
  onProgress: (sent: number) => void;
  signal: AbortSignal;
}

/** No byte going out for this long means the connection is dead, whatever the socket says. */
const STALL_TIMEOUT_MS = 60_000;

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** PUT /v1/uploads/:id/parts/:n. Resolves with the upload as recorded, or why not; rejects only with an AbortError. */
export function putPart({ uploadId, partNumber, body, accessToken, onProgress, signal }: PartRequest): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let stall: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => xhr.abort(), STALL_TIMEOUT_MS);
    };
    let stalled = false;
    const done = () => {
      clearTimeout(stall);
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => xhr.abort();

    xhr.open("PUT", `/v1/uploads/${encodeURIComponent(uploadId)}/parts/${partNumber}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("accept", "application/json, application/problem+json");
    if (accessToken) xhr.setRequestHeader("authorization", `Bearer ${accessToken}`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      armStall();
      onProgress(e.loaded);
    };
    xhr.onload = () => {
      done();
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        /* not JSON: a proxy's error page */
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) resolve({ ok: true, upload: parsed as UploadView });
      else resolve({ ok: false, status: xhr.status, problem: parsed as Partial<Problem> | null, retryAfterMs: parseRetryAfter(xhr.getResponseHeader("retry-after")) });
    };
    const failed = () => {
      done();
      if (signal.aborted) reject(new DOMException("The upload was cancelled.", "AbortError"));
      else resolve({ ok: false, status: 0, problem: stalled ? { detail: "The connection stalled." } : null, retryAfterMs: null });
    };
    xhr.onerror = failed;
    xhr.onabort = () => {
      if (!signal.aborted) stalled = true;
      failed();
    };
    xhr.ontimeout = failed;
    signal.addEventListener("abort", onAbort);
    if (signal.aborted) {
      onAbort();
      return;
    }
    armStall();
    xhr.send(body);
  });
}
