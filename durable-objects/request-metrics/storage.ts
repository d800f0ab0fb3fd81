import { addCounts, emptyCounts, type RequestCounts } from "../../src/lib/request-metrics/histogram";
import type { RequestAlertName, Series } from "./protocol";

/** Overall minutes are kept a day; per-route minutes an hour (the health route shows no more). */
export const MINUTES_KEPT = 24 * 60;
export const ROUTE_MINUTES_KEPT = 60;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS minutes (
     minute INTEGER PRIMARY KEY,
     requests INTEGER NOT NULL, server_errors INTEGER NOT NULL, client_errors INTEGER NOT NULL,
     max_ms INTEGER NOT NULL, histogram TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS route_minutes (
     minute INTEGER NOT NULL, method TEXT NOT NULL, route TEXT NOT NULL,
     requests INTEGER NOT NULL, server_errors INTEGER NOT NULL, client_errors INTEGER NOT NULL,
     max_ms INTEGER NOT NULL, histogram TEXT NOT NULL,
     PRIMARY KEY (minute, method, route)
   )`,
  `CREATE TABLE IF NOT EXISTS alerts (
     name TEXT PRIMARY KEY, since INTEGER NOT NULL, value REAL NOT NULL, clear_evaluations INTEGER NOT NULL
   )`,
];

type CountsRow = { requests: number; server_errors: number; client_errors: number; max_ms: number; histogram: string };
export type RouteCounts = RequestCounts & { method: string; route: string };
export type AlertRow = { name: RequestAlertName; since: number; value: number; clear_evaluations: number };

const countsOf = (row: CountsRow): RequestCounts => ({
  requests: row.requests,
  server_errors: row.server_errors,
  client_errors: row.client_errors,
  max_ms: row.max_ms,
  histogram: JSON.parse(row.histogram) as number[],
});

/**
 * The object's SQLite storage: one row per minute (all routes), one per minute and route, and the
 * firing alerts. Histograms are JSON arrays, added up in JS when batches land and when read.
 */
export class MetricsStorage {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Adds each series to its minute and to its minute of its route. */
  add(series: Series[]): void {
    const byMinute = new Map<number, RequestCounts>();
    for (const s of series) {
      addCounts(byMinute.get(s.minute) ?? byMinute.set(s.minute, emptyCounts()).get(s.minute)!, s);
      this.merge("route_minutes", "minute = ? AND method = ? AND route = ?", [s.minute, s.method, s.route], s);
    }
    for (const [minute, counts] of byMinute) this.merge("minutes", "minute = ?", [minute], counts);
  }

  private merge(table: "minutes" | "route_minutes", where: string, key: Array<number | string>, counts: RequestCounts): void {
    const row = this.sql.exec<CountsRow>(`SELECT requests, server_errors, client_errors, max_ms, histogram FROM ${table} WHERE ${where}`, ...key).toArray()[0];
    const total = row ? addCounts(countsOf(row), counts) : addCounts(emptyCounts(), counts);
    const columns = table === "minutes" ? "minute" : "minute, method, route";
    this.sql.exec(
      `INSERT OR REPLACE INTO ${table} (${columns}, requests, server_errors, client_errors, max_ms, histogram) VALUES (${key.map(() => "?").join(", ")}, ?, ?, ?, ?, ?)`,
      ...key,
      total.requests,
      total.server_errors,
      total.client_errors,
      total.max_ms,
      JSON.stringify(total.histogram),
    );
  }

  /** All routes' counts of the minutes from `fromMinute` on, added up. */
  total(fromMinute: number): RequestCounts {
    const total = emptyCounts();
    for (const row of this.sql.exec<CountsRow>("SELECT requests, server_errors, client_errors, max_ms, histogram FROM minutes WHERE minute >= ?", fromMinute)) {
      addCounts(total, countsOf(row));
    }
    return total;
  }

  /** Each route's counts of the minutes from `fromMinute` on. */
  routes(fromMinute: number): RouteCounts[] {
    const byRoute = new Map<string, RouteCounts>();
    for (const row of this.sql.exec<CountsRow & { method: string; route: string }>(
      "SELECT method, route, requests, server_errors, client_errors, max_ms, histogram FROM route_minutes WHERE minute >= ?",
      fromMinute,
    )) {
      const key = `${row.method} ${row.route}`;
      const counts = byRoute.get(key) ?? byRoute.set(key, { ...emptyCounts(), method: row.method, route: row.route }).get(key)!;
      addCounts(counts, countsOf(row));
    }
    return [...byRoute.values()];
  }

  /** Forgets the minutes past their retention. */
  prune(currentMinute: number): void {
    this.sql.exec("DELETE FROM minutes WHERE minute <= ?", currentMinute - MINUTES_KEPT);
    this.sql.exec("DELETE FROM route_minutes WHERE minute <= ?", currentMinute - ROUTE_MINUTES_KEPT);
  }

  alerts(): AlertRow[] {
    return this.sql.exec<AlertRow>("SELECT name, since, value, clear_evaluations FROM alerts ORDER BY since, name").toArray();
  }

  saveAlert(alert: AlertRow): void {
    this.sql.exec("INSERT OR REPLACE INTO alerts (name, since, value, clear_evaluations) VALUES (?, ?, ?, ?)", alert.name, alert.since, alert.value, alert.clear_evaluations);
  }

  deleteAlert(name: RequestAlertName): void {
    this.sql.exec("DELETE FROM alerts WHERE name = ?", name);
  }
}
