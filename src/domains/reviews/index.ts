import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverNotifications } from "../notifications/notify";
import { viewerOf } from "../tracks/viewer";
import { createReview } from "./create-review";
import { listReviews } from "./list-reviews";
import { respondToReview } from "./respond-to-review";
import * as r from "./routes";
import { deleteReview, updateReview } from "./update-review";

/** Product reviews (spec §10.7): from verified purchases only, one per order item, with the seller's answer. */
export const reviews = createRouter()
  .openapi(r.createReviewRoute, async (c) => {
    const { review, notifications } = await createReview(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json"));
    deliverNotifications(c, notifications);
    return c.json(review, 201);
  })
  .openapi(r.listReviewsRoute, async (c) =>
    c.json(await listReviews(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.updateReviewRoute, async (c) => c.json(await updateReview(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.deleteReviewRoute, async (c) => {
    await deleteReview(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.respondToReviewRoute, async (c) =>
    c.json(await respondToReview(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").content), 200),
  );
