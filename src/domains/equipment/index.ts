import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { getMyEquipment, getPublicEquipment, listCategories, listMyEquipment, listPublicEquipment } from "./item-queries";
import { createEquipment, deleteEquipment, updateEquipment } from "./items";
import { createMaintenance, deleteMaintenance, listMaintenance, updateMaintenance } from "./maintenance";
import { serveDocument, servePhoto } from "./media";
import * as rr from "./record-routes";
import { listReminders } from "./reminders";
import * as r from "./routes";
import { createWarranty, deleteWarranty, listWarranties, updateWarranty } from "./warranties";

const viewer = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c)?.userId ?? null;
const me = (c: Parameters<typeof currentUser>[0]) => currentUser(c).userId;

/**
 * Hardware (spec §12): my equipment inventory, its warranties and maintenance history, and the
 * public gear list of a profile. Reminders before /{id}: "reminders" is no item id.
 */
export const equipment = createRouter()
  .openapi(r.categoriesRoute, async (c) => {
    viewer(c); // a token sent must be valid, as on every optional-auth route
    return c.json(await listCategories(c.var.db), 200);
  })
  .openapi(r.remindersRoute, async (c) => c.json(await listReminders(c.var.db, me(c), c.req.valid("query").days), 200))
  .openapi(r.createEquipmentRoute, async (c) => c.json(await createEquipment(c.var.db, me(c), c.req.valid("json")), 201))
  .openapi(r.myEquipmentRoute, async (c) => c.json(await listMyEquipment(c.var.db, me(c), c.req.valid("query")), 200))
  .openapi(r.getMyEquipmentRoute, async (c) => c.json(await getMyEquipment(c.var.db, me(c), c.req.valid("param").id), 200))
  .openapi(r.updateEquipmentRoute, async (c) => c.json(await updateEquipment(c.var.db, me(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(r.deleteEquipmentRoute, async (c) => {
    await deleteEquipment(c.var.db, me(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(r.documentRoute, async (c) => {
    const { id, fileId } = c.req.valid("param");
    return (await serveDocument(c, id, fileId)) as never;
  })
  .openapi(r.publicListRoute, async (c) =>
    c.json(await listPublicEquipment(c.var.db, c.req.valid("param").username, viewer(c), c.req.valid("query")), 200),
  )
  .openapi(r.publicItemRoute, async (c) => c.json(await getPublicEquipment(c.var.db, viewer(c), c.req.valid("param").id), 200))
  .openapi(r.photoRoute, async (c) => {
    const { id, fileId } = c.req.valid("param");
    return (await servePhoto(c, id, fileId)) as never;
  })
  .openapi(rr.listWarrantiesRoute, async (c) => c.json(await listWarranties(c.var.db, me(c), c.req.valid("param").id), 200))
  .openapi(rr.createWarrantyRoute, async (c) => c.json(await createWarranty(c.var.db, me(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(rr.updateWarrantyRoute, async (c) => {
    const { id, warrantyId } = c.req.valid("param");
    return c.json(await updateWarranty(c.var.db, me(c), id, warrantyId, c.req.valid("json")), 200);
  })
  .openapi(rr.deleteWarrantyRoute, async (c) => {
    const { id, warrantyId } = c.req.valid("param");
    await deleteWarranty(c.var.db, me(c), id, warrantyId);
    return c.body(null, 204);
  })
  .openapi(rr.listMaintenanceRoute, async (c) =>
    c.json(await listMaintenance(c.var.db, me(c), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(rr.createMaintenanceRoute, async (c) =>
    c.json(await createMaintenance(c.var.db, me(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(rr.updateMaintenanceRoute, async (c) => {
    const { id, maintenanceId } = c.req.valid("param");
    return c.json(await updateMaintenance(c.var.db, me(c), id, maintenanceId, c.req.valid("json")), 200);
  })
  .openapi(rr.deleteMaintenanceRoute, async (c) => {
    const { id, maintenanceId } = c.req.valid("param");
    await deleteMaintenance(c.var.db, me(c), id, maintenanceId);
    return c.body(null, 204);
  });
