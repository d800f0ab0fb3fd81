import { Cron } from "croner";

/** Shorthands a schedule may be instead of five cron fields. */
const SHORTHANDS = new Set(["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually"]);

/** The scheduler's own period (src/jobs/schedule.ts runs it hourly): a schedule cannot fire more often. */
export const MIN_INTERVAL_MS = 3_600_000;

export class ScheduleError extends Error {}

function cronOf(schedule: string, timezone: string): Cron {
  const expression = schedule.trim();
  if (!SHORTHANDS.has(expression.toLowerCase()) && expression.split(/\s+/).length !== 5) {
    throw new ScheduleError("must be five cron fields (minute hour day month weekday, e.g. \"0 3 * * *\") or one of @hourly, @daily, @weekly, @monthly, @yearly");
  }
  try {
    return new Cron(expression.toLowerCase().startsWith("@") ? expression.toLowerCase() : expression, { timezone });
  } catch (err) {
    throw new ScheduleError(err instanceof Error ? err.message.replace(/^Cron\w*:\s*/, "") : "is not a cron expression");
  }
}

/** The first time `schedule` fires strictly after `after`, in `timezone`; null when it never does. */
export function nextRunAfter(schedule: string, timezone: string, after: Date): Date | null {
  return cronOf(schedule, timezone).nextRun(after);
}

/** Checks a timezone name (IANA, e.g. Europe/Paris). */
export function isTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws ScheduleError unless `schedule` is a valid expression that fires, at most hourly (two
 * consecutive firings at least an hour apart over the next few).
 */
export function checkSchedule(schedule: string, timezone: string, now: Date): void {
  const runs = cronOf(schedule, timezone).nextRuns(4, now);
  if (runs.length === 0) throw new ScheduleError("never fires");
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MS) throw new ScheduleError("fires more often than hourly; backups run at most once an hour");
  }
}
