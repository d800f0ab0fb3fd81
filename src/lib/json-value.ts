/**
 * A JSON value a query built (json_build_object, json_agg, row_to_json): the HTTP driver hands it
 * back parsed or as text depending on the column's type and the backend, so both are read alike.
 */
export const parseJson = <T>(value: unknown): T | null =>
  value === null || value === undefined ? null : ((typeof value === "string" ? JSON.parse(value) : value) as T);
