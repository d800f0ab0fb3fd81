import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { addCartItem, applyDiscount, clearCart, getCart, removeCartItem, removeDiscount } from "./cart-writes";
import { createDiscountCode, listDiscountCodes, updateDiscountCode } from "./discount-codes";
import * as r from "./routes";

/** The cart and discount codes (spec §10.3, §10.4, §10.10): what a buyer gathers before checkout. */
export const cart = createRouter()
  .openapi(r.getCartRoute, async (c) => c.json(await getCart(c.var.db, currentUser(c).userId), 200))
  .openapi(r.addCartItemRoute, async (c) => c.json(await addCartItem(c.var.db, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.removeCartItemRoute, async (c) => c.json(await removeCartItem(c.var.db, currentUser(c).userId, c.req.valid("param").productId), 200))
  .openapi(r.clearCartRoute, async (c) => {
    await clearCart(c.var.db, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.applyDiscountRoute, async (c) => c.json(await applyDiscount(c.var.db, currentUser(c).userId, c.req.valid("json").code), 200))
  .openapi(r.removeDiscountRoute, async (c) => c.json(await removeDiscount(c.var.db, currentUser(c).userId), 200))
  .openapi(r.createDiscountCodeRoute, async (c) => c.json(await createDiscountCode(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.listDiscountCodesRoute, async (c) => c.json(await listDiscountCodes(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.updateDiscountCodeRoute, async (c) =>
    c.json(await updateDiscountCode(c.var.db, currentUser(c).userId, c.req.valid("param").id, c.req.valid("json")), 200),
  );
