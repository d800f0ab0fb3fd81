/** What a transfer looks like from outside (transfer.ts): its phase, its numbers, and why it stopped. */
import { ApiError } from "../../api";
import type { UploadView } from "./api-types";

export type TransferPhase =
  | "hashing" // reading the file for its SHA-256
  | "starting" // opening the upload, or finding the one to resume
  | "uploading"
  | "waiting" // a part failed: retrying at `retryAt`
  | "offline" // the browser is offline: retrying when it is back
  | "completing" // Veza assembles and checks the file
  | "stored"
  | "failed"
  | "cancelled";

export interface TransferState {
  phase: TransferPhase;
  total: number;
  /** Bytes read for the hash. */
  hashed: number;
  /** Bytes sent: the parts Veza confirmed plus what is on the way. */
  sent: number;
  bytesPerSecond: number | null;
  /** Bytes Veza already had when this page took the upload over (a resumed upload). */
  resumedFrom: number | null;
  /** When the next attempt starts (phase `waiting`). */
  retryAt: number | null;
  /** Consecutive failed attempts. */
  failures: number;
  /** What went wrong with the last attempt (phases `waiting` and `offline`). */
  problem: string | null;
  /** Why the upload stopped for good (phase `failed`). */
  error: TransferError | null;
  /** The stored file (phase `stored`). */
  fileId: string | null;
  /** The file was already on Veza: nothing was sent. */
  reused: boolean;
}

export type TransferErrorKind = "refused_type" | "hash_mismatch" | "expired" | "signed_out" | "unreadable" | "other";

export class TransferError extends Error {
  constructor(
    readonly kind: TransferErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "TransferError";
  }
}

/** The state of a transfer that has not started reading its file yet. */
export function initialState(total: number): TransferState {
  return {
    phase: "hashing",
    total,
    hashed: 0,
    sent: 0,
    bytesPerSecond: null,
    resumedFrom: null,
    retryAt: null,
    failures: 0,
    problem: null,
    error: null,
    fileId: null,
    reused: false,
  };
}

export const takesParts = (status: UploadView["status"]) => status === "pending" || status === "uploading";

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}

export const cancelled = () => new DOMException("The upload was cancelled.", "AbortError");

/** A network failure or a server-side one: worth trying again. */
export function isTransient(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.status === 408 || err.status === 429);
}

/**
 * What an upload's status means for a client that wants to send parts: go on (the status), done
 * (the file), or a TransferError when it can never go on.
 */
export function standing(view: UploadView): "go-on" | { fileId: string } {
  switch (view.status) {
    case "pending":
    case "uploading":
    case "processing":
      return "go-on";
    case "completed":
      if (!view.file_id) throw new TransferError("other", "This upload's file was deleted. Start again.");
      return { fileId: view.file_id };
    case "expired":
      throw new TransferError("expired", "This upload expired (nothing arrived for 24 hours). Start again.");
    case "aborted":
      throw new TransferError("other", "This upload was cancelled (in another tab?). Start again.");
    case "failed":
      throw new TransferError("other", view.error ?? "This upload failed. Start again.");
  }
}

/**
 * What a refused POST …/complete means: parts to send again, the file Veza already has, "ask
 * again" (it is being completed), or a TransferError when the upload is over.
 */
export function completionRefusal(err: ApiError): { missing: number[] } | { fileId: string } | { again: true } {
  const p = err.problem;
  if (err.status === 409 && Array.isArray(p.missing_parts)) return { missing: p.missing_parts as number[] };
  if (err.status === 409 && typeof p.file_id === "string") return { fileId: p.file_id };
  // Being completed (by another tab, or a completion whose answer was lost), or aborted: look again.
  if (err.status === 409) return { again: true };
  if (err.status === 415) throw new TransferError("refused_type", err.message);
  if (err.status === 422) {
    throw new TransferError("hash_mismatch", "What arrived does not match the file you picked (it changed while it was sent, or was damaged on the way). Start again.");
  }
  if (err.status === 410) throw new TransferError("expired", "This upload expired. Start again.");
  throw err;
}
