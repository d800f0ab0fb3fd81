import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";

/** One line of a report: counts of one track (and one day, for track_performance). */
export type ReportLine = Record<string, string | number | null>;

export type ReportRequest = {
  owner_id: string;
  report_type: "track_performance" | "catalog_overview";
  params: { track_ids?: string[] };
  period_start: string;
  period_end: string;
};

const FIGURES = `
  'plays', {plays}, 'unique_listeners', {ul}, 'listen_seconds', {ls},
  'avg_completion', CASE WHEN {plays} > 0 THEN round({weight} / {plays}, 2) ELSE 0 END::float8,
  'source_playlist', {s:playlist}, 'source_album', {s:album}, 'source_search', {s:search}, 'source_direct', {s:direct}, 'source_unknown', {s:unknown},
  'device_mobile', {d:mobile}, 'device_desktop', {d:desktop}, 'device_web', {d:web}, 'device_unknown', {d:unknown}`;

/** The figures of FIGURES, either as they are in one row (`ta`) or summed over a group. */
function figures(summed: boolean): string {
  const agg = (expr: string, cast: string) => (summed ? `COALESCE(sum(${expr}), 0)::${cast}` : `${expr}::${cast}`);
  return FIGURES.replace(/\{plays\}/g, agg("ta.plays", "int"))
    .replace(/\{ul\}/g, agg("ta.unique_listeners", "int"))
    .replace(/\{ls\}/g, agg("ta.total_listen_seconds", "bigint"))
    .replace(/\{weight\}/g, summed ? "sum(ta.avg_completion * ta.plays)" : "(ta.avg_completion * ta.plays)")
    .replace(/\{s:(\w+)\}/g, (_, k: string) => agg(`(ta.source_counts->>'${k}')::int`, "int"))
    .replace(/\{d:(\w+)\}/g, (_, k: string) => agg(`(ta.device_counts->>'${k}')::int`, "int"));
}

/**
 * The lines of a report, in one statement, over the owner's live tracks only (the track ids named
 * at request time are checked again: a track deleted since is left out). track_performance: one
 * line per track and day played, by day then title; catalog_overview: one line per track (played
 * or not) with its totals over the period, most played first. Counts only: no listener is named.
 */
export async function reportLines(db: Database, report: ReportRequest): Promise<ReportLine[]> {
  const ids = report.params.track_ids ?? null;
  const mine = sql`
    SELECT t.id, t.title FROM tracks t
     WHERE t.creator_id = ${report.owner_id}::uuid AND t.deleted_at IS NULL
       ${ids ? sql`AND t.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))` : sql``}`;
  const period = sql`ta.day BETWEEN ${report.period_start}::date AND ${report.period_end}::date`;
  const statement =
    report.report_type === "track_performance"
      ? sql`
        WITH mine AS (${mine})
        SELECT json_build_object('day', to_char(ta.day, 'YYYY-MM-DD'), 'track_id', mine.id, 'title', mine.title, ${sql.raw(figures(false))}) AS line
          FROM track_analytics ta JOIN mine ON mine.id = ta.track_id
         WHERE ${period}
         ORDER BY ta.day, mine.title, mine.id`
      : sql`
        WITH mine AS (${mine})
        SELECT json_build_object('track_id', mine.id, 'title', mine.title, ${sql.raw(figures(true))}) AS line
          FROM mine LEFT JOIN track_analytics ta ON ta.track_id = mine.id AND ${period}
         GROUP BY mine.id, mine.title
         ORDER BY COALESCE(sum(ta.plays), 0) DESC, mine.title, mine.id`;
  const { rows } = await db.execute<{ line: ReportLine }>(statement);
  return rows.map((r) => r.line);
}

/** A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with a quote. */
const FORMULA = /^[=+\-@\t\r]/;

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF), a header line of the columns, then one line each. */
export function toCsv(columns: string[], lines: ReportLine[]): string {
  return [columns.join(","), ...lines.map((line) => columns.map((c) => csvCell(line[c] ?? null)).join(","))].join("\r\n") + "\r\n";
}

export const REPORT_COLUMNS_OF = {
  track_performance: ["day", "track_id", "title"],
  catalog_overview: ["track_id", "title"],
} as const;

export const FIGURE_COLUMNS = [
  "plays",
  "unique_listeners",
  "listen_seconds",
  "avg_completion",
  "source_playlist",
  "source_album",
  "source_search",
  "source_direct",
  "source_unknown",
  "device_mobile",
  "device_desktop",
  "device_web",
  "device_unknown",
];
