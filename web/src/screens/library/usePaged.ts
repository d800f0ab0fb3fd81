import { useEffect, useState } from "preact/hooks";
import { get, type Query } from "../../api";

export interface Paged<T> {
  items: T[];
  /** The first page is loading (nothing to show yet). */
  loading: boolean;
  error: unknown;
  /** There is a next page. */
  hasMore: boolean;
  loadingMore: boolean;
  moreError: unknown;
  loadMore: () => Promise<void>;
  /** Fetch the first page again (keeps the list on screen meanwhile). */
  reload: () => void;
  /** Change the list locally after a write (remove, accept, …). */
  setItems: (update: (items: T[]) => T[]) => void;
}

/** A cursor-paged list of the API (`{ items, next_cursor }`), page by page. */
export function usePaged<T>(path: string, query: Query = {}): Paged<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const key = `${path}?${JSON.stringify(query)}`;

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    get<{ items: T[]; next_cursor: string | null }>(path, query, { signal: controller.signal })
      .then((page) => {
        setItemsState(page.items);
        setCursor(page.next_cursor);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        // What is on screen no longer answers the request: show the error instead.
        setItemsState([]);
        setCursor(null);
        setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // `key` stands for path + query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce]);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<{ items: T[]; next_cursor: string | null }>(path, { ...query, cursor });
      setItemsState((current) => [...current, ...page.items]);
      setCursor(page.next_cursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    loadingMore,
    moreError,
    loadMore,
    reload: () => setNonce((n) => n + 1),
    setItems: (update) => setItemsState(update),
  };
}
