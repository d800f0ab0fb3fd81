import { Time } from "../../ui";
import { PagedList } from "../library/PagedList";
import { usePaged } from "../library/usePaged";
import type { Review } from "./types";

/** A rating as stars, read out as "4.5 out of 5 stars". */
export function Stars({ rating }: { rating: number }) {
  const rounded = Math.round(rating);
  return (
    <span class="stars" role="img" aria-label={`${rating.toFixed(1)} out of 5 stars`}>
      {"★".repeat(rounded)}
      <span class="stars-off">{"★".repeat(5 - rounded)}</span>
    </span>
  );
}

/** A product's reviews (GET /v1/products/:id/reviews), newest first, with the seller's answers. */
export function Reviews({ productId, count, average }: { productId: string; count: number; average: number }) {
  const list = usePaged<Review>(`/v1/products/${productId}/reviews`, { limit: 10 });
  return (
    <section class="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title" class="section-title">
        Reviews {count > 0 && <span class="muted">· <Stars rating={average} /> {average.toFixed(1)} ({count})</span>}
      </h2>
      <PagedList list={list} label="Reviews" listClass="review-list" loadingLabel="Loading reviews…" empty={<p class="muted">No reviews yet. Buyers can review what they bought from their order.</p>}>
        {(r) => (
          <li key={r.id} class="review card">
            <p class="review-head">
              <Stars rating={r.rating} /> {r.title && <strong>{r.title}</strong>}
            </p>
            {r.content && <p class="review-content">{r.content}</p>}
            <p class="muted small">
              {r.reviewer.display_name ?? `@${r.reviewer.username}`} · <Time value={r.created_at} />
              {r.is_verified_purchase && " · verified purchase"}
            </p>
            {r.seller_response && (
              <blockquote class="quote small">
                <p class="muted">The seller answered:</p>
                <p class="review-content">{r.seller_response.content}</p>
              </blockquote>
            )}
          </li>
        )}
      </PagedList>
    </section>
  );
}
