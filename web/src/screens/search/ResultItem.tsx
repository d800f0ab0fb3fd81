import { paths } from "../../paths";
import { formatDuration } from "../../ui";
import { TrackActions } from "../library/TrackActions";
import { formatMoney } from "../marketplace/money";
import type { SearchResult } from "./types";

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** One search result: its kind's link and the few facts that tell it apart. */
export function ResultItem({ result: r }: { result: SearchResult }) {
  const m = r.metadata;
  const by = r.owner.display_name ?? `@${r.owner.username}`;
  let href: string | null = null;
  let details: string[] = [];
  switch (r.type) {
    case "track": {
      href = paths.track(r.id);
      const seconds = num(m.duration);
      details = [str(m.artist) ?? by, str(m.genre) ?? "", seconds !== undefined ? formatDuration(seconds, "s") : ""];
      break;
    }
    case "user":
      href = paths.user(str(m.username) ?? r.owner.username);
      details = [`@${str(m.username) ?? r.owner.username}`];
      break;
    case "playlist":
      href = paths.playlist(r.id);
      details = [`Playlist by ${by}`, m.is_collaborative === true ? "collaborative" : ""];
      break;
    case "post":
      href = paths.post(r.id);
      details = [`Post by ${by}`];
      break;
    case "product": {
      const slug = str(m.slug);
      href = slug ? paths.product(slug) : null;
      const price = str(m.price) ?? (num(m.price) !== undefined ? String(m.price) : undefined);
      const currency = str(m.currency);
      details = [
        `${capitalised(str(m.category) ?? "product")} by ${by}`,
        m.pricing_model === "free" ? "Free" : price && currency ? `${m.pricing_model === "pwyw" ? "from " : ""}${formatMoney(price, currency)}` : "",
      ];
      break;
    }
    case "group": {
      const slug = str(m.slug);
      href = slug ? paths.group(slug) : null;
      details = ["Group"];
      break;
    }
    case "course":
      details = [`Course by ${by}`, str(m.level) ?? ""];
      break;
  }
  const title = r.type === "post" ? r.title.slice(0, 140) : r.title;
  return (
    <li class={`result-row result-${r.type}`}>
      {r.type === "track" && (
        <TrackActions track={{ id: r.id, title: r.title, artist: str(m.artist) ?? null, duration_ms: (num(m.duration) ?? 0) * 1000 || null, cover_url: null, creator: { username: r.owner.username } }} />
      )}
      {r.type === "user" && (
        <span class="avatar" aria-hidden="true">
          {str(m.avatar_url) ? <img src={str(m.avatar_url)} alt="" loading="lazy" /> : (r.title[0] ?? "?").toUpperCase()}
        </span>
      )}
      <span class="track-main">
        {href ? (
          <a href={href} data-result-link>
            {title}
          </a>
        ) : (
          <span data-result-link tabIndex={0}>
            {title}
          </span>
        )}
        <span class="muted small">{details.filter(Boolean).join(" · ")}</span>
        {r.snippet && <span class="snippet small">{r.snippet}</span>}
      </span>
      {r.visibility !== "public" && <span class="badge">{r.visibility}</span>}
    </li>
  );
}
