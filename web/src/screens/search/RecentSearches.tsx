import { useState } from "preact/hooks";
import { del } from "../../api";
import { signedIn } from "../../session";
import { Button, FormError, useApi } from "../../ui";
import type { SearchHistory, SearchType } from "./types";

/**
 * My recent searches (GET /v1/me/search-history), shown while the field is empty. The API keeps them
 * only for accounts that turned `save_search_history` on, so for everyone else this shows nothing.
 * Each can be run again or forgotten; "Clear" deletes them all.
 */
export function RecentSearches({ onPick }: { onPick: (q: string, type: "all" | SearchType) => void }) {
  const history = useApi<SearchHistory>(signedIn.value ? "/v1/me/search-history" : null, { limit: 8 });
  const [error, setError] = useState<unknown>(null);
  const items = history.data?.items ?? [];
  if (items.length === 0) return null;

  async function forget(path: string, keep: (i: SearchHistory["items"][number]) => boolean) {
    setError(null);
    try {
      await del(path);
      history.setData({ items: items.filter(keep), next_cursor: null });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section class="recent-searches" aria-labelledby="recent-title">
      <div class="result-section-head">
        <h2 id="recent-title">Recent searches</h2>
        <Button variant="ghost" onClick={() => void forget("/v1/me/search-history", () => false)}>
          Clear
        </Button>
      </div>
      <FormError error={error} />
      <ul class="recent-list">
        {items.map((i) => (
          <li key={i.id}>
            <button type="button" class="chip" data-result-link onClick={() => onPick(i.query, i.type)}>
              {i.query}
            </button>
            <button type="button" class="icon-btn small-icon" aria-label={`Forget the search “${i.query}”`} onClick={() => void forget(`/v1/me/search-history/${i.id}`, (x) => x.id !== i.id)}>
              <span aria-hidden="true">✕</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
