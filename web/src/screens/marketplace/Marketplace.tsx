import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Query } from "../../api";
import { paths } from "../../paths";
import { Empty, usePageTitle } from "../../ui";
import { PagedList } from "../library/PagedList";
import { usePaged } from "../library/usePaged";
import { priceLabel } from "./money";
import { Stars } from "./Reviews";
import { CATEGORY_LABELS, SORT_LABELS, type Category, type ProductSummary, type Sort } from "./types";
import "../library/kit.css";
import "./marketplace.css";

const FILTER_KEYS = ["category", "sort", "genre", "priceMin", "priceMax", "bpmMin", "bpmMax", "key", "tags"] as const;
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

/**
 * `/marketplace`: the catalogue (GET /v1/products) with the filters the API offers — category, sort,
 * genre, price and tempo ranges, key and tags — kept in the address. Text filters apply after a
 * pause in typing.
 */
export default function Marketplace() {
  const { query } = useLocation();
  const [filters, setFilters] = useState<Filters>(() => Object.fromEntries(FILTER_KEYS.filter((k) => query[k]).map((k) => [k, query[k]])));
  const [applied, setApplied] = useState<Filters>(filters);
  usePageTitle("Marketplace");

  useEffect(() => {
    const timer = setTimeout(() => setApplied(filters), 350);
    return () => clearTimeout(timer);
  }, [filters]);

  useEffect(() => {
    const params = new URLSearchParams(Object.entries(applied).filter(([, v]) => v));
    const next = params.size ? `${location.pathname}?${params}` : location.pathname;
    if (next !== location.pathname + location.search) history.replaceState(history.state, "", next);
  }, [applied]);

  const list = usePaged<ProductSummary>("/v1/products", { limit: 24, ...(Object.fromEntries(Object.entries(applied).filter(([, v]) => v?.trim())) as Query) });
  const set = (key: keyof Filters, now = false) => (value: string) => {
    const next = { ...filters, [key]: value };
    setFilters(next);
    if (now) setApplied(next);
  };
  const fieldErrors = list.error instanceof ApiError ? list.error.fields : {};
  const advanced = ["genre", "priceMin", "priceMax", "bpmMin", "bpmMax", "key", "tags"].some((k) => filters[k as keyof Filters]);

  return (
    <section class="marketplace" aria-labelledby="marketplace-title">
      <div class="marketplace-head">
        <h1 id="marketplace-title">Marketplace</h1>
        <a href={paths.cart} class="btn">
          Cart
        </a>
      </div>
      <p class="muted">Samples, beats, presets and more, sold by the musicians who made them.</p>

      <form class="filters" onSubmit={(e) => (e.preventDefault(), setApplied(filters))} aria-label="Filters">
        <fieldset class="chips">
          <legend class="visually-hidden">Category</legend>
          {(["", ...Object.keys(CATEGORY_LABELS)] as ("" | Category)[]).map((c) => (
            <label key={c || "all"} class={`chip${(filters.category ?? "") === c ? " chip-on" : ""}`}>
              <input type="radio" name="category" value={c} checked={(filters.category ?? "") === c} onChange={() => set("category", true)(c)} />
              {c ? CATEGORY_LABELS[c] : "Everything"}
            </label>
          ))}
        </fieldset>
        <div class="filter-row">
          <div class="field">
            <label for="mk-sort">Sort by</label>
            <select id="mk-sort" value={filters.sort ?? "newest"} onChange={(e) => set("sort", true)(e.currentTarget.value)}>
              {(Object.keys(SORT_LABELS) as Sort[]).map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <details class="more-filters" open={advanced}>
          <summary>More filters</summary>
          <div class="filter-grid">
            <Filter label="Genre" value={filters.genre} onValue={set("genre")} error={fieldErrors.genre} />
            <Filter label="Key" value={filters.key} onValue={set("key")} error={fieldErrors.key} placeholder="Am" />
            <Filter label="Tags (comma-separated)" value={filters.tags} onValue={set("tags")} error={fieldErrors.tags} placeholder="lofi, keys" />
            <Filter label="Price from" value={filters.priceMin} onValue={set("priceMin")} error={fieldErrors.priceMin} inputMode="decimal" />
            <Filter label="Price up to" value={filters.priceMax} onValue={set("priceMax")} error={fieldErrors.priceMax} inputMode="decimal" />
            <Filter label="BPM from" value={filters.bpmMin} onValue={set("bpmMin")} error={fieldErrors.bpmMin} inputMode="numeric" />
            <Filter label="BPM up to" value={filters.bpmMax} onValue={set("bpmMax")} error={fieldErrors.bpmMax} inputMode="numeric" />
          </div>
          <button type="button" class="btn btn-ghost" onClick={() => (setFilters({ category: filters.category, sort: filters.sort }), setApplied({ category: filters.category, sort: filters.sort }))}>
            Clear these filters
          </button>
        </details>
      </form>

      <div aria-live="polite" class="visually-hidden">
        {list.loading ? "" : `${list.items.length}${list.hasMore ? "+" : ""} products`}
      </div>
      <PagedList
        list={list}
        label="Products"
        listClass="product-grid"
        loadingLabel="Loading products…"
        empty={
          <Empty title="Nothing matches these filters">
            <p>Try another category or fewer filters.</p>
          </Empty>
        }
      >
        {(p) => <ProductCard key={p.id} product={p} />}
      </PagedList>
    </section>
  );
}

function Filter({ label, value, onValue, error, placeholder, inputMode }: { label: string; value?: string; onValue: (v: string) => void; error?: string; placeholder?: string; inputMode?: "decimal" | "numeric" }) {
  const id = `mk-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      <input id={id} type="text" value={value ?? ""} placeholder={placeholder} inputMode={inputMode} autoComplete="off" onInput={(e) => onValue(e.currentTarget.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function ProductCard({ product: p }: { product: ProductSummary }) {
  return (
    <li class="product-card">
      <div class="product-thumb" aria-hidden="true">
        {p.thumbnail_url ? <img src={p.thumbnail_url} alt="" loading="lazy" /> : <span>{p.name.slice(0, 1).toUpperCase()}</span>}
      </div>
      <div class="product-card-body">
        <a href={paths.product(p.slug)} class="item-title product-card-link">
          {p.name}
        </a>
        <span class="muted small">
          {CATEGORY_LABELS[p.category]} · {p.seller.display_name ?? `@${p.seller.username}`}
        </span>
        <span class="product-card-price">
          {priceLabel(p)}
          {!p.for_sale && <span class="badge">{p.status === "sold_out" ? "sold out" : "unavailable"}</span>}
        </span>
        {p.review_count > 0 && (
          <span class="small">
            <Stars rating={p.average_rating} /> <span class="muted">({p.review_count})</span>
          </span>
        )}
      </div>
    </li>
  );
}
