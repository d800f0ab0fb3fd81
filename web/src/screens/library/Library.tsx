import { useLocation } from "preact-iso";
import { useRef, useState } from "preact/hooks";
import { usePageTitle } from "../../ui";
import { LikedTracks } from "./LikedTracks";
import { ListeningHistory } from "./ListeningHistory";
import { MyPlaylists } from "./MyPlaylists";
import "./kit.css";
import "./library.css";

const TABS = [
  ["playlists", "Playlists"],
  ["likes", "Liked tracks"],
  ["history", "History"],
] as const;
type Tab = (typeof TABS)[number][0];

/**
 * `/library`: my playlists (and those I collaborate on, with my invitations), the tracks I liked,
 * and my listening history — three tabs (`?tab=likes|history`, kept in the address without
 * re-opening the screen). Tabs follow the ARIA tabs pattern: arrow keys, Home and End move between them.
 */
export default function Library() {
  const { query } = useLocation();
  const [tab, setTab] = useState<Tab>(TABS.some(([t]) => t === query.tab) ? (query.tab as Tab) : "playlists");
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  usePageTitle("Library");

  function select(next: Tab, focus = false) {
    setTab(next);
    const url = new URL(location.href);
    if (next === "playlists") url.searchParams.delete("tab");
    else url.searchParams.set("tab", next);
    url.searchParams.delete("deleted");
    history.replaceState(history.state, "", url.pathname + url.search);
    if (focus) tabRefs.current[TABS.findIndex(([t]) => t === next)]?.focus();
  }

  function onKeyDown(e: KeyboardEvent) {
    const index = TABS.findIndex(([t]) => t === tab);
    const to =
      e.key === "ArrowRight" ? (index + 1) % TABS.length : e.key === "ArrowLeft" ? (index - 1 + TABS.length) % TABS.length : e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    select(TABS[to]![0], true);
  }

  return (
    <section class="library" aria-labelledby="library-title">
      <h1 id="library-title">Your library</h1>
      <div class="tabs" role="tablist" aria-label="Library" onKeyDown={onKeyDown}>
        {TABS.map(([key, label], i) => (
          <button
            key={key}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`library-tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`library-panel-${key}`}
            tabIndex={tab === key ? 0 : -1}
            class="tab"
            onClick={() => select(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`library-panel-${tab}`} aria-labelledby={`library-tab-${tab}`} class="tab-panel">
        {tab === "playlists" ? <MyPlaylists deleted={query.deleted} /> : tab === "likes" ? <LikedTracks /> : <ListeningHistory />}
      </div>
    </section>
  );
}
