/** Waiting, in a way a cancelled upload interrupts (an AbortError). */
import { cancelled } from "./transfer-state";

/** Resolves after `ms`. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(cancelled());
      },
      { once: true },
    );
  });
}

/**
 * Resolves after `delayMs` (null: no timer, as when offline), when the browser comes back online,
 * or when the function handed to `onWake` is called ("retry now") — whichever comes first.
 */
export function waitToRetry(delayMs: number | null, signal: AbortSignal, onWake: (wake: (() => void) | null) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      removeEventListener("online", finish);
      signal.removeEventListener("abort", finish);
      onWake(null);
      if (signal.aborted) reject(cancelled());
      else resolve();
    };
    const timer = delayMs === null ? undefined : setTimeout(finish, delayMs);
    addEventListener("online", finish);
    signal.addEventListener("abort", finish);
    onWake(finish);
  });
}
