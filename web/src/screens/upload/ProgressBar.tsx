/**
 * A determinate progress bar (role="progressbar" with its value in words for screen readers).
 * Not a live region: announcements go through <Announcer>, at a pace people can listen to.
 */
export function ProgressBar({ label, value, max, text, tone = "accent" }: { label: string; value: number; max: number; text: string; tone?: "accent" | "success" | "danger" }) {
  const percent = max > 0 ? Math.min(100, Math.floor((value / max) * 100)) : 0;
  return (
    <div
      class={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
    >
      <div class="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
