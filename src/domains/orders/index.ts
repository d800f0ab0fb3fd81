import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { cancelOrder } from "./cancel-order";
import { checkout } from "./checkout";
import { createDownloadLink, serveDownload } from "./downloads";
import { getOrder, listOrders, listPurchases, listSales } from "./list-orders";
import * as r from "./routes";

/** Checkout, orders, the buyer's library and downloads, the seller's sales (spec §10.5, §10.6). */
export const orders = createRouter()
  .openapi(r.checkoutRoute, async (c) => {
    const body = c.req.header("content-type")?.includes("application/json") ? c.req.valid("json") : {};
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    return c.json(await checkout(c, currentUser(c).userId, body ?? {}, key), 201);
  })
  .openapi(r.listOrdersRoute, async (c) => c.json(await listOrders(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.getOrderRoute, async (c) => c.json(await getOrder(c.var.db, currentUser(c).userId, c.req.valid("param").idOrNumber), 200))
  .openapi(r.cancelOrderRoute, async (c) => c.json(await cancelOrder(c, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(r.listPurchasesRoute, async (c) => c.json(await listPurchases(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.listSalesRoute, async (c) => c.json(await listSales(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.createDownloadRoute, async (c) => {
    const { orderItemId } = c.req.valid("param");
    return c.json(await createDownloadLink(c, currentUser(c).userId, orderItemId, c.req.valid("json").file_id), 200);
  })
  .openapi(r.downloadRoute, async (c) => {
    const { orderItemId, fileId } = c.req.valid("param");
    return (await serveDownload(c, orderItemId, fileId, c.req.valid("query"))) as never;
  });
