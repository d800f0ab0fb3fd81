import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { get, type Query } from "../api";

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetch again (keeps the current data on screen meanwhile). */
  reload: () => void;
  /**
   * Replace the data locally (after a write that answered the new state), or update what is
   * there. A request still in flight is dropped: it may have been answered before the write.
   */
  setData: (data: T | ((previous: T | undefined) => T)) => void;
}

/** GET `path` (null: nothing to fetch yet) and follow it when the path or query change. Aborts stale requests. */
export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const [data, setState] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [nonce, setNonce] = useState(0);
  const inFlight = useRef<AbortController | null>(null);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    setError(null);
    get<T>(path, query, { signal: controller.signal })
      .then((d) => {
        if (!controller.signal.aborted) setState(() => d);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // `key` stands for path + query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const setData = useCallback((next: T | ((previous: T | undefined) => T)) => {
    inFlight.current?.abort();
    setError(null);
    setLoading(false);
    setState(next as T | ((previous: T | undefined) => T | undefined));
  }, []);
  return { data, error, loading, reload, setData };
}
