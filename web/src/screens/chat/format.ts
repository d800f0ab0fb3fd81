/** How the chat writes times, days and excerpts, in the reader's language. */

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
const day = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "14:03" (or "2:03 PM"). */
export const clockTime = (iso: string) => clock.format(new Date(iso));

/** "Monday, 3 March 2026 at 14:03": a time's tooltip. */
export const fullTime = (iso: string) => full.format(new Date(iso));

/** The local calendar day of a time, as a key ("2026-03-03"). */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** "Today", "Yesterday", or the date: the divider between two days of messages. */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(d) - startOf(now)) / 86_400_000);
  if (days === 0 || days === -1) {
    const text = relativeDay.format(days, "day");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return day.format(d);
}

/** The start of a text on one line, for quotes and previews. */
export function excerpt(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
