import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("the sellers' and reviews' routes in /openapi.json", () => {
  it("documents every route with its security and schemas", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    const signedIn = [{ bearerAuth: [] }];
    const routes: Array<[string, string, unknown]> = [
      ["post", "/v1/me/seller/onboarding", signedIn],
      ["get", "/v1/me/seller", signedIn],
      ["post", "/v1/me/seller/dashboard-link", signedIn],
      ["get", "/v1/me/seller/earnings", signedIn],
      ["get", "/v1/me/seller/transactions", signedIn],
      ["post", "/v1/me/seller/payouts", signedIn],
      ["get", "/v1/me/seller/payouts", signedIn],
      ["post", "/v1/products/{id}/reviews", signedIn],
      ["get", "/v1/products/{id}/reviews", [{}, { bearerAuth: [] }]],
      ["patch", "/v1/reviews/{id}", signedIn],
      ["delete", "/v1/reviews/{id}", signedIn],
      ["put", "/v1/reviews/{id}/response", signedIn],
    ];
    for (const [method, path, security] of routes) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual(security);
    }
    for (const schema of ["SellerStatus", "SellerEarnings", "SellerLedger", "SellerPayout", "StripeLink", "ProductReview", "ProductReviewList", "CreateReview"]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
  });
});
