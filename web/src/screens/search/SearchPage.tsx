import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { get } from "../../api";
import { Button, FormError, Spinner, usePageTitle } from "../../ui";
import { RecentSearches } from "./RecentSearches";
import { ResultItem } from "./ResultItem";
import { TYPE_LABELS, TYPE_ORDER, type SearchResult, type SearchResults, type SearchType } from "./types";
import "../library/kit.css";
import "./search.css";

/** How long typing must pause before the search runs. */
const DEBOUNCE_MS = 300;
const FILTERS: readonly ("all" | SearchType)[] = ["all", ...TYPE_ORDER];

/**
 * `/search?q=…&type=…`: tracks, people, playlists, posts, products, courses and groups (GET
 * /v1/search). The query follows the address (replaced as you type, so a reload or a shared link
 * shows the same results) without re-opening the screen. All kinds at once are shown in sections
 * of their kind; one kind is a list with "Load more". Keyboard: ↓ from the field goes to the
 * results, ↑/↓ move between them, Escape clears the field.
 */
export default function SearchPage() {
  const { query } = useLocation();
  const [text, setText] = useState(query.q ?? "");
  const [type, setType] = useState<"all" | SearchType>(FILTERS.includes(query.type as SearchType) ? (query.type as SearchType) : "all");
  const [q, setQ] = useState((query.q ?? "").trim());
  const [results, setResults] = useState<SearchResults | null>(null);
  const [more, setMore] = useState<SearchResult[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  usePageTitle(q ? `“${q}” — Search` : "Search");

  // Typing settles into `q` after a pause; the address follows.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q);
    else url.searchParams.delete("q");
    if (type !== "all") url.searchParams.set("type", type);
    else url.searchParams.delete("type");
    const next = url.pathname + url.search;
    if (next !== location.pathname + location.search) history.replaceState(history.state, "", next);

    setMore([]);
    setMoreError(null);
    if (!q) {
      setResults(null);
      setError(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    get<SearchResults>("/v1/search", { q, type: type === "all" ? undefined : type, limit: type === "all" ? 40 : 20 }, { signal: controller.signal })
      .then((r) => {
        setResults(r);
        setCursor(r.next_cursor);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [q, type]);

  async function loadMore() {
    if (!cursor || type === "all") return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<SearchResults>("/v1/search", { q, type, limit: 20, cursor });
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  function links(): HTMLElement[] {
    return [...(resultsRef.current?.querySelectorAll<HTMLElement>("[data-result-link]") ?? [])];
  }

  function onFieldKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown") {
      const first = links()[0];
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === "Escape" && text) {
      e.preventDefault();
      setText("");
    } else if (e.key === "Enter") {
      setQ(text.trim());
    }
  }

  function onResultsKey(e: KeyboardEvent) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const all = links();
    const index = all.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    e.preventDefault();
    if (e.key === "ArrowUp" && index === 0) inputRef.current?.focus();
    else all[Math.min(all.length - 1, index + (e.key === "ArrowDown" ? 1 : -1))]?.focus();
  }

  const items = [...(results?.items ?? []), ...more];
  const settled = !loading && results !== null && q === text.trim();
  const summary = !q
    ? ""
    : loading
      ? "Searching…"
      : error
        ? ""
        : items.length === 0
          ? `No results for “${q}”.`
          : `${items.length}${cursor ? "+" : ""} ${items.length === 1 ? "result" : "results"} for “${q}”.`;

  return (
    <section class="search-page" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form role="search" class="search-form" onSubmit={(e) => e.preventDefault()}>
        <label for="search-q" class="visually-hidden">
          Search tracks, people, playlists and more
        </label>
        <input
          id="search-q"
          ref={inputRef}
          type="search"
          class="search-input"
          placeholder="Search tracks, people, playlists…"
          autoComplete="off"
          spellcheck={false}
          maxLength={100}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onFieldKey}
          aria-describedby="search-help"
          autoFocus={!text}
        />
        <p id="search-help" class="visually-hidden">
          Results appear as you type. Press the down arrow to move to the results.
        </p>
        <fieldset class="chips">
          <legend class="visually-hidden">Kind of result</legend>
          {FILTERS.map((f) => (
            <label key={f} class={`chip${type === f ? " chip-on" : ""}`}>
              <input type="radio" name="search-type" value={f} checked={type === f} onChange={() => setType(f)} />
              {f === "all" ? "All" : TYPE_LABELS[f]}
            </label>
          ))}
        </fieldset>
      </form>

      <p class="search-summary muted" role="status" aria-live="polite">
        {loading && <Spinner size="small" label="" />} {summary}
      </p>
      <FormError error={error} />

      <div ref={resultsRef} onKeyDown={onResultsKey} aria-busy={loading}>
        {!q ? (
          <>
            <RecentSearches
              onPick={(words, kind) => {
                setText(words);
                setQ(words);
                setType(kind);
              }}
            />
            <div class="search-hint muted">
              <p>Find music by title, artist or genre, people by name, and playlists, posts, sounds and courses by their words.</p>
              <p>Every word is matched as you type it: “bey” finds Beyoncé.</p>
            </div>
          </>
        ) : settled && items.length === 0 && !error ? (
          <div class="empty">
            <p class="empty-title">Nothing matches “{q}”</p>
            <p>Check the spelling, use fewer words{type !== "all" ? ", or search every kind" : ""}.</p>
            {type !== "all" && <Button onClick={() => setType("all")}>Search every kind</Button>}
          </div>
        ) : type === "all" ? (
          TYPE_ORDER.map((t) => {
            const ofType = items.filter((r) => r.type === t);
            if (ofType.length === 0) return null;
            return (
              <section key={t} class="result-section" aria-labelledby={`results-${t}`}>
                <div class="result-section-head">
                  <h2 id={`results-${t}`}>{TYPE_LABELS[t]}</h2>
                  <Button variant="ghost" onClick={() => setType(t)}>
                    Only {TYPE_LABELS[t].toLowerCase()}
                  </Button>
                </div>
                <ul class="result-list">
                  {ofType.slice(0, 6).map((r) => (
                    <ResultItem key={`${r.type}-${r.id}`} result={r} />
                  ))}
                </ul>
              </section>
            );
          })
        ) : (
          <>
            <ul class="result-list" aria-label={`${TYPE_LABELS[type]} matching “${q}”`}>
              {items.map((r) => (
                <ResultItem key={`${r.type}-${r.id}`} result={r} />
              ))}
            </ul>
            <FormError error={moreError} />
            {cursor && (
              <Button onClick={() => void loadMore()} busy={loadingMore}>
                Load more
              </Button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
