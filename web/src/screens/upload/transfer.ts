/**
 * One file's resumable upload (POST /v1/uploads → PUT parts → POST complete), as a state the
 * screen renders. Parts go out three at a time with XMLHttpRequest for real progress. A part that
 * fails on the way (no answer, a 5xx, a body cut short) is retried with exponential backoff —
 * at once when the browser comes back online — and before every retry GET /v1/uploads/:id says
 * which parts Veza really has, so a part whose answer was lost is not sent twice. The upload's id
 * and the file's identity are kept in localStorage (saved-uploads.ts): after a reload, picking the
 * same file again resumes with the missing parts only.
 */
import { signal, type Signal } from "@preact/signals";
import { ApiError, del, freshAccessToken, get, post, refreshTokens } from "../../api";
import type { StoredFile, UploadView } from "./api-types";
import { PART_SIZE } from "./formats";
import { putPart } from "./put-part";
import { findSavedForFile, findSavedForHash, forgetUpload, rememberUpload } from "./saved-uploads";
import { sha256OfFile } from "./sha256";
import { SpeedMeter } from "./speed";
import { completionRefusal, initialState, isAbort, isTransient, standing, takesParts, TransferError, type TransferState } from "./transfer-state";
import { sleep, waitToRetry } from "./wait";

export { TransferError, type TransferPhase, type TransferState } from "./transfer-state";

const CONCURRENCY = 3;
const MAX_BACKOFF_MS = 30_000;
const EMIT_EVERY_MS = 100;

type Attempt = "ok" | { retry: string; afterMs: number | null } | { check: true } | { fatal: TransferError };

export class Transfer {
  readonly state: Signal<TransferState>;
  private readonly controller = new AbortController();
  private uploadId: string | null = null;
  private partSize = PART_SIZE;
  private totalParts = 0;
  /** Parts Veza has: number → size. */
  private received = new Map<number, number>();
  private inFlight = new Map<number, number>();
  private readonly speed = new SpeedMeter();
  private emitTimer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | null = null;

  constructor(
    readonly file: File,
    private readonly mimeType: string,
    /** The account it is uploaded for. */
    readonly userId: string,
  ) {
    this.state = signal<TransferState>(initialState(file.size));
  }

  private get signal() {
    return this.controller.signal;
  }

  private set(patch: Partial<TransferState>) {
    this.state.value = { ...this.state.value, ...patch };
  }

  /** Runs the whole upload. Resolves with the stored file's id, or null when it failed or was cancelled (see `state`). */
  async run(): Promise<string | null> {
    try {
      const sha256 = await this.hash();
      this.set({ phase: "starting" });
      const opened = await this.open(sha256);
      const fileId = "fileId" in opened ? opened.fileId : await this.sendAndComplete(opened);
      this.flushEmit();
      this.set({ phase: "stored", fileId, sent: this.file.size, bytesPerSecond: null, problem: null, retryAt: null, reused: "fileId" in opened });
      return fileId;
    } catch (err) {
      this.flushEmit();
      if (this.signal.aborted || isAbort(err)) {
        this.set({ phase: "cancelled" });
        return null;
      }
      const error =
        err instanceof TransferError
          ? err
          : err instanceof DOMException && err.name === "NotReadableError"
            ? new TransferError("unreadable", `“${this.file.name}” can no longer be read (it was moved, changed or deleted). Pick it again to resume.`)
            : new TransferError("other", err instanceof Error ? err.message : String(err));
      this.set({ phase: "failed", error, bytesPerSecond: null, retryAt: null });
      return null;
    }
  }

  /** Stops sending, drops the parts on Veza and forgets the upload. */
  async cancel(): Promise<void> {
    this.controller.abort();
    this.wake?.();
    const id = this.uploadId;
    if (!id) return;
    forgetUpload(id);
    await del(`/v1/uploads/${id}`).catch(() => undefined);
  }

  /** Stops sending but keeps the upload on Veza and in saved-uploads (signed out: the same account resumes it later). */
  stop(): void {
    this.controller.abort();
    this.wake?.();
  }

  /** Skips the wait before the next attempt. */
  retryNow(): void {
    this.wake?.();
  }

  // -------------------------------------------------------------------------------------------

  private async hash(): Promise<string> {
    const saved = findSavedForFile(this.userId, this.file);
    if (saved) {
      // The very file (name, size, date) whose upload was interrupted: no need to read it again;
      // the API checks the hash of what it assembles anyway.
      this.set({ hashed: this.file.size });
      return saved.sha256;
    }
    return sha256OfFile(this.file, (hashed) => this.set({ hashed }), this.signal);
  }

  /** The upload to send parts to — one of ours to resume, or a new one — or the file when Veza has it already. */
  private async open(sha256: string): Promise<UploadView | { fileId: string }> {
    const saved = findSavedForFile(this.userId, this.file) ?? findSavedForHash(this.userId, sha256, this.file.size);
    if (saved) {
      const view = await this.retrying(() => get<UploadView>(`/v1/uploads/${saved.uploadId}`, undefined, { signal: this.signal })).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      });
      if (view?.status === "completed" && view.file_id) {
        forgetUpload(saved.uploadId);
        return { fileId: view.file_id };
      }
      if (view && (takesParts(view.status) || view.status === "processing")) return this.adopt(view, sha256, true);
      forgetUpload(saved.uploadId);
    }
    try {
      const body = { filename: this.file.name, size: this.file.size, mime_type: this.mimeType, sha256, part_size: PART_SIZE };
      return this.adopt(await this.retrying(() => post<UploadView>("/v1/uploads", body, { signal: this.signal })), sha256, false);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
      // The same content: already a file of ours, or an upload under way (another tab, or a
      // reload that lost its record) — which this page takes over.
      if (typeof err.problem.file_id === "string") return { fileId: err.problem.file_id };
      if (typeof err.problem.upload_id === "string") {
        const view = await this.retrying(() => get<UploadView>(`/v1/uploads/${err.problem.upload_id as string}`, undefined, { signal: this.signal }));
        if (view.status === "completed" && view.file_id) return { fileId: view.file_id };
        return this.adopt(view, sha256, true);
      }
      throw err;
    }
  }

  private adopt(view: UploadView, sha256: string, resumed: boolean): UploadView {
    this.uploadId = view.id;
    this.partSize = view.part_size;
    this.totalParts = view.total_parts;
    this.received = new Map(view.parts.map((p) => [p.part_number, p.size]));
    this.remember(sha256, view.bytes_uploaded);
    if (resumed) this.set({ resumedFrom: view.bytes_uploaded });
    this.emit(true);
    return view;
  }

  private sha256 = "";
  private remember(sha256: string, bytesUploaded: number) {
    this.sha256 = sha256;
    if (!this.uploadId) return;
    rememberUpload({
      uploadId: this.uploadId,
      userId: this.userId,
      name: this.file.name,
      size: this.file.size,
      lastModified: this.file.lastModified,
      sha256,
      bytesUploaded,
    });
  }

  /** Sends the missing parts until there are none, then completes; retries whatever can be retried. */
  private async sendAndComplete(view: UploadView): Promise<string> {
    let status = view.status;
    for (;;) {
      this.signal.throwIfAborted();
      const missing = this.missingParts();
      if (missing.length === 0 || status === "processing") {
        this.set({ phase: "completing", problem: null, retryAt: null });
        const completed = await this.complete();
        if ("fileId" in completed) return completed.fileId;
        if ("missing" in completed) {
          for (const n of completed.missing) this.received.delete(n);
          status = "uploading";
          continue;
        }
        status = await this.resync();
        continue;
      }

      this.set({ phase: "uploading", problem: null, retryAt: null });
      const outcome = await this.sendParts(missing);
      if (outcome === "ok") {
        this.set({ failures: 0 });
        continue;
      }
      if ("fatal" in outcome) throw outcome.fatal;
      // (A refused part — `check` — waits too: if Veza keeps refusing, this must not spin.)
      await this.backoff("retry" in outcome ? outcome.retry : "Veza did not take a part; checking the upload.", "retry" in outcome ? outcome.afterMs : null);
      const next = await this.resync();
      if (next === "completed") return this.state.value.fileId!;
      status = next;
    }
  }

  private missingParts(): number[] {
    const missing: number[] = [];
    for (let n = 1; n <= this.totalParts; n++) if (!this.received.has(n)) missing.push(n);
    return missing;
  }

  /** Sends `parts`, CONCURRENCY at a time; the first failure stops new parts from starting (those on the way finish). */
  private async sendParts(parts: number[]): Promise<Attempt> {
    const queue = [...parts];
    let failure: Attempt | null = null;
    const worker = async () => {
      while (queue.length > 0 && failure === null) {
        const result = await this.sendPart(queue.shift()!);
        if (result !== "ok") failure ??= result;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, parts.length) }, worker));
    this.signal.throwIfAborted();
    return failure ?? "ok";
  }

  private async sendPart(n: number): Promise<Attempt> {
    const start = (n - 1) * this.partSize;
    const body = this.file.slice(start, Math.min(this.file.size, start + this.partSize));
    let token = await freshAccessToken();
    for (let renewed = false; ; renewed = true) {
      this.inFlight.set(n, 0);
      const result = await putPart({
        uploadId: this.uploadId!,
        partNumber: n,
        body,
        accessToken: token,
        signal: this.signal,
        onProgress: (sent) => {
          this.inFlight.set(n, sent);
          this.emit();
        },
      }).finally(() => {
        this.inFlight.delete(n);
        this.emit();
      });
      if (result.ok) {
        for (const p of result.upload.parts) this.received.set(p.part_number, p.size);
        this.remember(this.sha256, this.confirmed());
        return "ok";
      }
      const detail = result.problem?.detail;
      if (result.status === 401 && !renewed) {
        token = (await refreshTokens().catch(() => null))?.accessToken ?? null;
        if (!token) return { fatal: new TransferError("signed_out", "You were signed out. Sign in again, then pick the same file to resume the upload.") };
        continue;
      }
      if (result.status === 0) return { retry: detail ?? "The connection was lost.", afterMs: null };
      if (result.status >= 500 || result.status === 408 || result.status === 429 || result.status === 400) {
        return { retry: detail ?? `Veza answered ${result.status}.`, afterMs: result.retryAfterMs };
      }
      // 404, 409, 410: the upload stopped taking parts; its status says why.
      if (result.status === 404 || result.status === 409 || result.status === 410) return { check: true };
      return { fatal: new TransferError("other", detail ?? `Part ${n} was refused (${result.status}).`) };
    }
  }

  /** Asks Veza which parts it has. Answers the upload's status ("completed": see state.fileId); ends the transfer when the upload can no longer go on. */
  private async resync(): Promise<UploadView["status"]> {
    const view = await this.retrying(() => get<UploadView>(`/v1/uploads/${this.uploadId}`, undefined, { signal: this.signal })).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) throw this.ended(new TransferError("other", "This upload no longer exists. Start again."));
      throw err;
    });
    this.received = new Map(view.parts.map((p) => [p.part_number, p.size]));
    this.emit(true);
    const next = this.endedIfThrows(() => standing(view));
    if (next === "go-on") return view.status;
    forgetUpload(view.id);
    this.set({ fileId: next.fileId });
    return "completed";
  }

  /** An upload that can never go on is forgotten: picking the file again starts afresh. */
  private ended(error: TransferError): TransferError {
    if (this.uploadId) forgetUpload(this.uploadId);
    return error;
  }

  private endedIfThrows<T>(decide: () => T): T {
    try {
      return decide();
    } catch (err) {
      throw err instanceof TransferError ? this.ended(err) : err;
    }
  }

  /** POST …/complete: the file, parts Veza says are missing, or "ask again". */
  private async complete(): Promise<{ fileId: string } | { missing: number[] } | { again: true }> {
    try {
      const file = await this.retrying(() => post<StoredFile>(`/v1/uploads/${this.uploadId}/complete`, undefined, { signal: this.signal }));
      forgetUpload(file.upload_id);
      return { fileId: file.id };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const refusal = this.endedIfThrows(() => completionRefusal(err));
      if ("fileId" in refusal) forgetUpload(this.uploadId!);
      if ("again" in refusal) await sleep(3000, this.signal);
      return refusal;
    }
  }

  /** Runs a JSON request, again and again while it fails for network or server reasons (with backoff). */
  private async retrying<T>(request: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await request();
      } catch (err) {
        if (!isTransient(err)) throw err;
        await this.backoff(err.code === "network_error" ? "The connection was lost." : err.message, null);
      }
    }
  }

  /** Waits before the next attempt: longer after each failure, or until the browser is back online, or until "retry now". */
  private async backoff(reason: string, afterMs: number | null): Promise<void> {
    const failures = this.state.value.failures + 1;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
    const delay = Math.max(afterMs ?? 0, Math.round(base * (0.8 + Math.random() * 0.4)));
    const offline = navigator.onLine === false;
    this.set({ phase: offline ? "offline" : "waiting", failures, problem: reason, retryAt: offline ? null : Date.now() + delay, bytesPerSecond: null });
    this.speed.reset();
    await waitToRetry(offline ? null : delay, this.signal, (wake) => (this.wake = wake));
    this.set({ phase: "starting", retryAt: null });
  }

  private confirmed(): number {
    let bytes = 0;
    for (const size of this.received.values()) bytes += size;
    return bytes;
  }

  /** Publishes progress, at most every EMIT_EVERY_MS (progress events come by the hundred). */
  private emit(now = false) {
    if (now) {
      this.flushEmit();
      return;
    }
    this.emitTimer ??= setTimeout(() => this.flushEmit(), EMIT_EVERY_MS);
  }

  private flushEmit() {
    clearTimeout(this.emitTimer);
    this.emitTimer = undefined;
    let sent = this.confirmed();
    for (const bytes of this.inFlight.values()) sent += bytes;
    sent = Math.min(sent, this.file.size);
    const uploading = this.state.value.phase === "uploading";
    this.set({ sent, bytesPerSecond: uploading ? this.speed.sample(sent) : this.state.value.bytesPerSecond });
  }
}
