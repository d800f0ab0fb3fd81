import { useState } from "preact/hooks";
import { ApiError, del, errorMessage, put } from "../../api";
import { paths } from "../../paths";
import { signedIn } from "../../session";
import { Button, FormError, Loading, UserLink, useApi, usePageTitle } from "../../ui";
import { BuyBox } from "./BuyBox";
import { priceLabel } from "./money";
import { Reviews, Stars } from "./Reviews";
import { CATEGORY_LABELS, type FavoriteState, type Product } from "./types";
import "../library/kit.css";
import "./marketplace.css";

/**
 * `/marketplace/:slug`: a product page (GET /v1/products/:slug, one round trip): images, the
 * preview to listen to, what it is, the licences with their prices and terms, buying, favourites and
 * the reviews.
 */
export default function ProductPage({ slug }: { slug: string }) {
  const product = useApi<Product>(`/v1/products/${encodeURIComponent(slug)}`);
  usePageTitle(product.data?.name ?? "Product");

  if (!product.data) {
    if (product.error) {
      const missing = product.error instanceof ApiError && (product.error.status === 404 || product.error.status === 422);
      return (
        <section aria-labelledby="product-title">
          <h1 id="product-title">{missing ? "Product not found" : "This product could not be loaded"}</h1>
          <p>{missing ? "It does not exist or is no longer listed." : errorMessage(product.error)}</p>
          {missing ? <a href={paths.marketplace}>Browse the marketplace</a> : <Button onClick={product.reload}>Try again</Button>}
        </section>
      );
    }
    return <Loading label="Loading the product…" />;
  }
  const p = product.data;
  const facts = [
    ["Category", CATEGORY_LABELS[p.category]],
    ["Genre", p.genre],
    ["Tempo", p.bpm ? `${p.bpm} BPM` : null],
    ["Key", p.musical_key],
    ["Formats", p.formats.join(", ") || null],
    ["Files", p.download_file_count ? `${p.download_file_count} ${p.download_file_count === 1 ? "file" : "files"}` : null],
    ["Licence", p.license_type],
  ].filter((f): f is [string, string] => Boolean(f[1]));

  return (
    <article class="product-page" aria-labelledby="product-title">
      <p class="crumbs small">
        <a href={paths.marketplace}>Marketplace</a> › <a href={`${paths.marketplace}?category=${p.category}`}>{CATEGORY_LABELS[p.category]}</a>
      </p>
      <div class="product-layout">
        <div class="product-main">
          <Gallery product={p} />
          <h1 id="product-title">{p.name}</h1>
          <p class="muted">
            by <UserLink user={p.seller} /> · {priceLabel(p)}
            {p.review_count > 0 && (
              <>
                {" "}
                · <Stars rating={p.average_rating} /> ({p.review_count})
              </>
            )}
            {p.sale_count > 0 && ` · ${p.sale_count} sold`}
          </p>
          <div class="toolbar">
            {signedIn.value && <Favorite product={p} onChange={(f) => product.setData({ ...p, favorited: f.favorited, favorite_count: f.favorite_count })} />}
            {p.demo_url && (
              <a class="btn btn-ghost" href={p.demo_url} target="_blank" rel="noopener noreferrer">
                Demo (opens elsewhere)
              </a>
            )}
          </div>
          {p.preview && (
            <section class="preview" aria-labelledby="preview-title">
              <h2 id="preview-title" class="section-title">
                Preview
              </h2>
              {p.preview.mime_type.startsWith("audio/") ? (
                <audio controls preload="none" src={p.preview.url} aria-labelledby="preview-title">
                  <a href={p.preview.url}>Download the preview</a>
                </audio>
              ) : (
                <a href={p.preview.url}>Open the preview</a>
              )}
            </section>
          )}
          <h2 class="section-title">About</h2>
          <p class="product-description">{p.description}</p>
          {facts.length > 0 && (
            <dl class="facts">
              {facts.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
          {p.tags.length > 0 && (
            <ul class="tags" aria-label="Tags">
              {p.tags.map((t) => (
                <li key={t}>
                  <a href={`${paths.marketplace}?tags=${encodeURIComponent(t)}`}>#{t}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
        <aside class="product-side" aria-label="Buy">
          <BuyBox product={p} />
        </aside>
      </div>
      <Reviews productId={p.id} count={p.review_count} average={p.average_rating} />
    </article>
  );
}

function Gallery({ product: p }: { product: Product }) {
  const [index, setIndex] = useState(0);
  const image = p.images[index] ?? p.images[0];
  if (!image) {
    return (
      <div class="product-hero product-hero-empty" aria-hidden="true">
        <span>{p.name.slice(0, 1).toUpperCase()}</span>
      </div>
    );
  }
  return (
    <div class="gallery">
      <img class="product-hero" src={image.url} alt={`${p.name}, image ${index + 1} of ${p.images.length}`} />
      {p.images.length > 1 && (
        <ul class="thumbs" aria-label="Images">
          {p.images.map((img, i) => (
            <li key={img.id}>
              <button type="button" aria-label={`Show image ${i + 1}`} aria-pressed={i === index} onClick={() => setIndex(i)}>
                <img src={img.url} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Favorite({ product: p, onChange }: { product: Product; onChange: (f: FavoriteState) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      onChange(await (p.favorited ? del : put)<FavoriteState>(`/v1/products/${p.id}/favorite`));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button busy={busy} aria-pressed={p.favorited} onClick={() => void toggle()}>
        <span aria-hidden="true">{p.favorited ? "♥" : "♡"}</span> {p.favorited ? "Favourite" : "Add to favourites"} · {p.favorite_count}
      </Button>
      <FormError error={error} />
    </>
  );
}
