import { useId, useState } from "preact/hooks";
import { ApiError, post } from "../../api";
import { Button, FormError, TextInput } from "../../ui";
import { TextArea } from "../library/fields";
import type { CreateReviewBody, Review } from "./types";

/** Review a product from the order that bought it (POST /v1/products/:id/reviews): one review per purchase. */
export function ReviewForm({ productId, orderItemId, productName }: { productId: string; orderItemId: string; productName: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [rating, setRating] = useState(0);
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Review | null>(null);

  if (done) return <p class="notice small" role="status">Thanks — your {done.rating}-star review of {productName} is published.</p>;
  if (!open) {
    return (
      <Button variant="ghost" onClick={() => setOpen(true)}>
        Review {productName}
      </Button>
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: CreateReviewBody = { order_item_id: orderItemId, rating, title: title.trim() || null, content: content.trim() || null };
      setDone(await post<Review>(`/v1/products/${productId}/reviews`, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form class="review-form" onSubmit={submit} aria-label={`Review ${productName}`}>
      <FormError error={error} />
      <fieldset class={`rating${fields.rating ? " field-invalid" : ""}`}>
        <legend>Your rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} class={`star${n <= rating ? " star-on" : ""}`}>
            <input type="radio" name={`${id}-rating`} value={n} checked={rating === n} onChange={() => setRating(n)} required />
            <span aria-hidden="true">★</span>
            <span class="visually-hidden">
              {n} {n === 1 ? "star" : "stars"}
            </span>
          </label>
        ))}
        {fields.rating && <p class="field-error">{fields.rating}</p>}
      </fieldset>
      <TextInput label="Title (optional)" value={title} onValue={setTitle} maxLength={255} error={fields.title} />
      <TextArea label="Your review (optional, at least 10 characters)" value={content} onValue={setContent} maxLength={2000} error={fields.content} />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={rating === 0}>
          Publish the review
        </Button>
        <Button onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
