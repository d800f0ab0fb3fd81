import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { createProduct } from "./create-product";
import { deleteProduct } from "./delete-product";
import { favoriteProduct, unfavoriteProduct } from "./favorites";
import { getProduct } from "./get-product";
import * as lr from "./license-routes";
import { createLicense, deleteLicense, updateLicense } from "./licenses";
import { browseProducts, listFavorites, listMyProducts, listStorefront } from "./list-products";
import { serveImage, servePreview } from "./media";
import * as r from "./routes";
import { liftSuspension, suspendProduct } from "./suspension";
import { updateProduct } from "./update-product";

/**
 * For the other marketplace domains (cart, orders, reviews): the catalogue's rules as SQL fragments
 * over a `products` row alias (and `product_licenses` alias for licences), so a checkout, a cart
 * line or a review check says "can be bought now" the same way the catalogue shows it.
 */
export {
  hasOpenLicense,
  licenseAvailable,
  licenseOpen,
  productBuyable,
  productForSale,
  productListed,
  productSummaryJson,
  productVisibleTo,
  purchasedBy,
  sellerLive,
} from "./product-view";

const viewer = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c)?.userId ?? null;

/** Products (spec §10.1, §10.2, §10.8): the catalogue, licences, previews and images, favourites. */
export const products = createRouter()
  .openapi(r.createProductRoute, async (c) => c.json(await createProduct(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.browseRoute, async (c) => c.json(await browseProducts(c.var.db, viewer(c), c.req.valid("query")), 200))
  .openapi(r.getProductRoute, async (c) => c.json(await getProduct(c.var.db, c.req.valid("param").id, viewer(c)), 200))
  .openapi(r.updateProductRoute, async (c) => c.json(await updateProduct(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.deleteProductRoute, async (c) => {
    await deleteProduct(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.storefrontRoute, async (c) => c.json(await listStorefront(c.var.db, c.req.valid("param").username, viewer(c), c.req.valid("query")), 200))
  .openapi(r.myProductsRoute, async (c) => c.json(await listMyProducts(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.previewRoute, async (c) => (await servePreview(c, c.req.valid("param").id)) as never)
  .openapi(r.imageRoute, async (c) => {
    const { id, fileId } = c.req.valid("param");
    return (await serveImage(c, id, fileId)) as never;
  })
  .openapi(lr.createLicenseRoute, async (c) => c.json(await createLicense(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(lr.updateLicenseRoute, async (c) => {
    const { id, licenseId } = c.req.valid("param");
    return c.json(await updateLicense(c.var.db, id, licenseId, currentUser(c).userId, c.req.valid("json")), 200);
  })
  .openapi(lr.deleteLicenseRoute, async (c) => {
    const { id, licenseId } = c.req.valid("param");
    await deleteLicense(c.var.db, id, licenseId, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(lr.favoriteRoute, async (c) => c.json(await favoriteProduct(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(lr.unfavoriteRoute, async (c) => c.json(await unfavoriteProduct(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(lr.myFavoritesRoute, async (c) => c.json(await listFavorites(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(lr.suspendRoute, async (c) =>
    c.json(await suspendProduct(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").reason, auditOriginOf(c)), 200),
  )
  .openapi(lr.liftSuspensionRoute, async (c) => c.json(await liftSuspension(c.var.db, c.req.valid("param").id, currentUser(c).userId, auditOriginOf(c)), 200));
