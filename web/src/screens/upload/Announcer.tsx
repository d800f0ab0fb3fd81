import { useEffect, useRef, useState } from "preact/hooks";

/**
 * A polite live region for things that change by themselves. `message` may change many times a
 * second; it is read out when `step` changes (a new tenth of the progress, a new phase), and at
 * most every `minIntervalMs` unless `urgent` (a phase change, an error, the end).
 */
export function Announcer({ message, step, urgent, minIntervalMs = 4000 }: { message: string; step: string; urgent: boolean; minIntervalMs?: number }) {
  const [said, setSaid] = useState("");
  const last = useRef({ step: "", at: 0 });
  useEffect(() => {
    if (step === last.current.step) return;
    const now = Date.now();
    if (!urgent && now - last.current.at < minIntervalMs) return;
    last.current = { step, at: now };
    setSaid(message);
  }, [step, urgent, message, minIntervalMs]);
  return (
    <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {said}
    </p>
  );
}
