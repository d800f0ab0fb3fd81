import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { textArray } from "../posts/post-text";

/**
 * A paid course is sold through the marketplace as a product of category 'course' (seller = the
 * educator, same title, price and currency) with one non-exclusive, unlimited licence, "Course
 * access": the checkout, orders, payouts and refunds then work for courses as for any product, and
 * the paid order's product finds its course (courses.product_id, unique).
 *
 * These statements go in the SAME db.batch as the course write, after it, and bring the product in
 * step with the course as the write left it: on sale (active) while the course is published, not
 * deleted and priced above 0; off sale (inactive) otherwise; soft-deleted with the course. A
 * product a moderator suspended stays suspended (theirs to lift). The product is created the first
 * time the course goes on sale and kept afterwards (orders point at it).
 */

export const COURSE_LICENSE_NAME = "Course access";
const COURSE_LICENSE_TERMS = "Personal, non-transferable access to every lesson of the course on Veza, including lessons added later.";

/** The product slug: the course's, else suffixed variants (product slugs stay taken forever, deleted ones too). */
const productSlugs = (courseId: string) => sql`(
  SELECT s.s FROM courses sc, unnest(ARRAY[sc.slug, left(sc.slug, 200) || '-course', 'course-' || replace(sc.id::text, '-', '')]) WITH ORDINALITY AS s(s, n)
   WHERE sc.id = ${courseId}::uuid AND NOT EXISTS (SELECT 1 FROM products x WHERE x.slug = s.s)
   ORDER BY s.n LIMIT 1)`;

/** The course as the write left it, with whether it should be on sale. */
const courseState = (courseId: string, educatorId: string) => sql`
  SELECT c.*, (c.status = 'published' AND c.deleted_at IS NULL AND c.price > 0) AS on_sale
    FROM courses c WHERE c.id = ${courseId}::uuid AND c.educator_id = ${educatorId}::uuid`;

/**
 * The statements keeping the course's product in step (see the file's comment). `newProductId` is
 * the id a product created now takes.
 */
export function syncCourseProduct(db: Database, courseId: string, educatorId: string, newProductId: string) {
  const upsertProduct = db.execute(sql`
    WITH c AS (${courseState(courseId, educatorId)}), updated AS (
      UPDATE products p
         SET name = c.title, description = COALESCE(c.description, c.title), currency = c.currency,
             price = CASE WHEN c.price > 0 THEN c.price ELSE p.price END,
             status = CASE WHEN p.status = 'suspended' THEN p.status WHEN c.on_sale THEN 'active' ELSE 'inactive' END,
             deleted_at = CASE WHEN c.deleted_at IS NOT NULL THEN COALESCE(p.deleted_at, now()) ELSE p.deleted_at END
        FROM c
       WHERE p.id = c.product_id
         AND (p.name, p.description, p.currency, p.price, p.status, p.deleted_at IS NULL)
             IS DISTINCT FROM (c.title, COALESCE(c.description, c.title), c.currency::bpchar,
                               CASE WHEN c.price > 0 THEN c.price ELSE p.price END,
                               CASE WHEN p.status = 'suspended' THEN p.status WHEN c.on_sale THEN 'active' ELSE 'inactive' END,
                               c.deleted_at IS NULL AND p.deleted_at IS NULL)
      RETURNING p.id
    )
    INSERT INTO products (id, seller_id, name, slug, description, category, price, currency, pricing_model, status, formats, tags)
    SELECT ${newProductId}::uuid, c.educator_id, c.title, ${productSlugs(courseId)}, COALESCE(c.description, c.title), 'course',
           c.price, c.currency, 'fixed', 'active', NULL, ${textArray(["course"])}::varchar[]
      FROM c WHERE c.product_id IS NULL AND c.on_sale`);
  // The licence is what a buyer pays: its price follows the course's (each order keeps what it paid).
  const syncLicense = db.execute(sql`
    WITH c AS (${courseState(courseId, educatorId)}), p AS (
      SELECT COALESCE(c.product_id, x.id) AS id, c.price FROM c LEFT JOIN products x ON x.id = ${newProductId}::uuid
       WHERE c.on_sale AND COALESCE(c.product_id, x.id) IS NOT NULL
    ), repriced AS (
      UPDATE product_licenses l SET price = p.price, is_active = true
        FROM p WHERE l.product_id = p.id AND l.deleted_at IS NULL AND (l.price <> p.price OR NOT l.is_active)
      RETURNING l.id
    )
    INSERT INTO product_licenses (product_id, name, price, terms, is_exclusive, distribution_limit)
    SELECT p.id, ${COURSE_LICENSE_NAME}, p.price, ${COURSE_LICENSE_TERMS}, false, NULL FROM p
     WHERE NOT EXISTS (SELECT 1 FROM product_licenses ol WHERE ol.product_id = p.id AND ol.deleted_at IS NULL)`);
  const link = db.execute(sql`
    UPDATE courses SET product_id = ${newProductId}::uuid
     WHERE id = ${courseId}::uuid AND educator_id = ${educatorId}::uuid AND product_id IS NULL
       AND EXISTS (SELECT 1 FROM products WHERE id = ${newProductId}::uuid)`);
  return [upsertProduct, syncLicense, link] as const;
}
