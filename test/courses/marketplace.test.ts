import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { educator, enrolled, page, patchCourse, publishedCourse, draftCourse, addLesson } from "./fixtures";

const productOf = async (id: string) => (await sql.query("SELECT * FROM products WHERE id = $1", [id]))[0]!;
const licencesOf = async (id: string) => sql.query("SELECT name, price::text, is_exclusive, distribution_limit, is_active FROM product_licenses WHERE product_id = $1 AND deleted_at IS NULL", [id]);

describe("a paid course in the marketplace", () => {
  it("is put on sale as a product with one open licence when published, kept in step, and taken off sale", async () => {
    const mira = await educator();
    const buyer = await signedInUser();
    const course = await draftCourse(mira, { title: "String quartet writing", price: "49.00", currency: "EUR" });
    expect(course.product_id).toBeNull();
    await addLesson(mira, course.id);
    const published = await patchCourse(mira, course.id, { status: "published" });
    const productId = published.body.product_id as string;
    expect(productId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await productOf(productId)).toMatchObject({ seller_id: mira.id, name: "String quartet writing", category: "course", price: "49.00", currency: "EUR", pricing_model: "fixed", status: "active" });
    expect(await licencesOf(productId)).toEqual([{ name: "Course access", price: "49.00", is_exclusive: false, distribution_limit: null, is_active: true }]);
    // the marketplace shows it on sale, to anyone
    const product = await api("GET", `/v1/products/${productId}`, { headers: buyer.headers });
    expect(product.status).toBe(200);
    expect(product.body).toMatchObject({ category: "course", for_sale: true, licenses: [expect.objectContaining({ name: "Course access", available: true })] });

    const repriced = await patchCourse(mira, course.id, { price: "39.00", title: "Writing for string quartet" });
    expect(repriced.body.product_id).toBe(productId);
    expect(await productOf(productId)).toMatchObject({ name: "Writing for string quartet", price: "39.00", status: "active" });
    expect((await licencesOf(productId)).map((l) => l.price)).toEqual(["39.00"]);

    await patchCourse(mira, course.id, { status: "draft" });
    expect((await productOf(productId)).status).toBe("inactive");
    await patchCourse(mira, course.id, { status: "published" });
    expect((await productOf(productId)).status).toBe("active");
    await patchCourse(mira, course.id, { status: "archived" });
    expect((await productOf(productId)).status).toBe("inactive");
    await patchCourse(mira, course.id, { status: "published" });
    // free now: enrol directly; the product (kept for its orders) goes off sale
    await patchCourse(mira, course.id, { price: "0" });
    expect((await productOf(productId)).status).toBe("inactive");
    await enrolled(buyer, course.id);
    await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: buyer.headers });
    expect((await api("DELETE", `/v1/courses/${course.id}`, { headers: mira.headers })).status).toBe(204);
    const gone = await productOf(productId);
    expect(gone.status).toBe("inactive");
    expect(gone.deleted_at).not.toBeNull();
  });

  it("leaves a product a moderator suspended suspended, and creates no product for a free course", async () => {
    const mira = await educator();
    const { course } = await publishedCourse(mira, { price: "20.00" }, 1);
    await sql.query("UPDATE products SET status = 'suspended', suspension_reason = 'check', suspended_at = now() WHERE id = $1", [course.product_id]);
    await patchCourse(mira, course.id, { price: "25.00" });
    expect(await productOf(course.product_id)).toMatchObject({ status: "suspended", price: "25.00" });
    const free = await publishedCourse(mira, {}, 1);
    expect(free.course.product_id).toBeNull();
    expect((await page(null, free.course.id)).body.is_free).toBe(true);
  });
});
