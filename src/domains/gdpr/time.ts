/** A timestamp as the driver hands it over (Date or Postgres text) -> ISO 8601, or null. */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value).replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function iso(value: unknown): string {
  const text = isoOrNull(value);
  if (text === null) throw new Error(`not a timestamp: ${String(value)}`);
  return text;
}
