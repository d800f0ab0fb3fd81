import { useEffect, useState } from "preact/hooks";
import { Button } from "../../ui";
import { Announcer } from "./Announcer";
import { formatBytes } from "../../ui/bytes";
import { formatRemaining, formatSpeed } from "./formats";
import { ProgressBar } from "./ProgressBar";
import type { Transfer, TransferState } from "./transfer";

const percentOf = (part: number, whole: number) => (whole > 0 ? Math.min(100, Math.floor((part / whole) * 100)) : 100);

/** Seconds until `at`, ticking (for "retrying in 4 s"). */
function useCountdown(at: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The state in one line of words: what the bar shows, for the status line and screen readers. */
export function describe(s: TransferState, name: string): string {
  const pct = percentOf(s.sent, s.total);
  switch (s.phase) {
    case "hashing":
      return `Reading ${name}… ${percentOf(s.hashed, s.total)} %`;
    case "starting":
      return s.failures ? "Checking what Veza already has…" : "Starting the upload…";
    case "uploading":
      return `${formatBytes(s.sent)} of ${formatBytes(s.total)} sent (${pct} %)`;
    case "waiting":
      return `Upload interrupted at ${pct} %: ${s.problem ?? "connection problem"}`;
    case "offline":
      return `You are offline. The upload resumes when the connection is back (${pct} % sent).`;
    case "completing":
      return "Sent. Veza is checking the file…";
    case "stored":
      return s.reused ? `Veza already has this file: nothing to send.` : `Uploaded: ${formatBytes(s.total)}.`;
    case "failed":
      // The reason is in the alert below the bar.
      return "Not uploaded.";
    case "cancelled":
      return "The upload was cancelled.";
  }
}

/** A transfer's progress: the bar, bytes, speed and time left, retries, and the cancel button. */
export function TransferStatus({ transfer, label, onCancel }: { transfer: Transfer; label: string; onCancel?: () => void }) {
  const s = transfer.state.value;
  const seconds = useCountdown(s.phase === "waiting" ? s.retryAt : null);
  const active = !["stored", "failed", "cancelled"].includes(s.phase);
  const hashing = s.phase === "hashing";
  const value = hashing ? s.hashed : s.sent;
  const text = describe(s, transfer.file.name);
  const stats =
    s.phase === "uploading" && s.bytesPerSecond
      ? [formatSpeed(s.bytesPerSecond), s.bytesPerSecond > 0 ? formatRemaining((s.total - s.sent) / s.bytesPerSecond) : ""].filter(Boolean).join(" · ")
      : "";
  const tone = s.phase === "failed" ? "danger" : s.phase === "stored" ? "success" : "accent";
  const tenth = hashing ? `h${Math.floor(percentOf(s.hashed, s.total) / 25)}` : `u${Math.floor(percentOf(s.sent, s.total) / 10)}`;

  return (
    <div class={`transfer transfer-${s.phase}`}>
      <ProgressBar label={label} value={s.phase === "stored" ? s.total : value} max={s.total} text={text} tone={tone} />
      <div class="transfer-line">
        <span class="transfer-text">{text}</span>
        {stats && <span class="transfer-stats muted">{stats}</span>}
      </div>
      {s.resumedFrom !== null && s.resumedFrom > 0 && active && (
        <p class="transfer-note muted">Resumed: {formatBytes(s.resumedFrom)} were already on Veza and are not sent again.</p>
      )}
      {s.phase === "waiting" && (
        <p class="transfer-note">
          Retrying {seconds > 0 ? `in ${seconds} s` : "now"} (attempt {s.failures + 1}).{" "}
          <Button variant="ghost" class="btn-inline" onClick={() => transfer.retryNow()}>
            Retry now
          </Button>
        </p>
      )}
      {s.phase === "failed" && (
        <div class="form-error" role="alert">
          {s.error?.kind === "refused_type" && <strong>This file was refused. </strong>}
          {s.error?.message}
        </div>
      )}
      {active && onCancel && (
        <div class="transfer-actions">
          <Button variant="ghost" onClick={onCancel}>
            Cancel upload
          </Button>
        </div>
      )}
      <Announcer
        message={`${label}: ${text}`}
        step={`${s.phase}-${tenth}`}
        urgent={!["uploading", "hashing"].includes(s.phase) || tenth === "u10"}
      />
    </div>
  );
}
