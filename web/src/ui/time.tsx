/** Dates and durations for people, in their own language (the browser's). */

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "3 minutes ago", "yesterday", "in 2 days". */
export function relativeTime(iso: string | Date, now = Date.now()): string {
  const t = typeof iso === "string" ? Date.parse(iso) : iso.getTime();
  if (Number.isNaN(t)) return "";
  const seconds = Math.round((t - now) / 1000);
  if (Math.abs(seconds) < 45) return relative.format(0, "second");
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
  }
  return "";
}

/** "1:05", "1:02:03" from milliseconds (or seconds with `unit: "s"`). */
export function formatDuration(value: number | null | undefined, unit: "ms" | "s" = "ms"): string {
  if (value == null || !Number.isFinite(value) || value < 0) return "–:––";
  const total = Math.floor(unit === "ms" ? value / 1000 : value);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A <time> element: relative text, the full date as its tooltip and machine value. */
export function Time({ value }: { value: string }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={value} title={absolute.format(date)}>
      {relativeTime(value)}
    </time>
  );
}
