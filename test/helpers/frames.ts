import { unique } from "./db";

/** A JSON frame of one of our WebSocket protocols. */
export type Frame = { type: string; [key: string]: any };

/**
 * One real WebSocket of a test and every frame it received, in order: wait for a condition on
 * them (`until`), take the next frame that matches (`next`), or send a frame with a `request_id`
 * and wait for its answer (`request`). The socket's close is recorded too.
 */
export class SocketFrames {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private read = 0;
  private waiters: Array<() => void> = [];
  private counter = 0;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as Frame;
      // A chat room's `batch` is its frames, one after the other.
      for (const each of frame.type === "batch" ? (frame.frames as Frame[]) : [frame]) {
        this.frames.push(each);
        this.received(each);
      }
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  /** Subclasses keep their own view of the protocol's state up to date here. */
  protected received(_frame: Frame): void {}

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves when `check` holds (re-checked on each frame); fails after `timeoutMs`. */
  async until<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-5)).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame (after the last one taken) that matches. */
  next(match: (frame: Frame) => boolean, what = "a frame"): Promise<Frame> {
    return this.until(() => {
      const index = this.frames.findIndex((f, i) => i >= this.read && match(f));
      if (index < 0) return undefined;
      this.read = index + 1;
      return this.frames[index];
    }, what);
  }

  /** Sends a frame with a fresh `request_id`; resolves to the frame answering it. */
  async request(frame: { type?: unknown; [key: string]: unknown }): Promise<Frame> {
    const request_id = `r${++this.counter}-${unique()}`;
    this.ws.send(JSON.stringify({ ...frame, request_id }));
    return this.until(() => this.frames.find((f) => f.request_id === request_id), `the answer to ${request_id} (${String(frame.type)})`);
  }

  close(): void {
    try {
      this.ws.close(1000, "done");
    } catch {
      // already closed
    }
  }
}
