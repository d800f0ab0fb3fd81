import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { insert, sql } from "../helpers/db";
import { draftCourse, educator, enrol, enrolled, page, patchCourse, publishedCourse } from "./fixtures";

describe("enrolment", () => {
  it("enrols in a free published course, idempotently, and leaving keeps the row for a rejoin", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course } = await publishedCourse(mira, {}, 1);
    const first = await enrolled(sam, course.id);
    expect(first).toMatchObject({ course_id: course.id, status: "active", progress_percent: 0, completed_at: null, certificate: null });
    const second = await enrolled(sam, course.id);
    expect(second.enrolled_at).toBe(first.enrolled_at);
    expect((await page(null, course.id)).body.enrollment_count).toBe(1);
    expect((await page(sam, course.id)).body.viewer).toMatchObject({ can_enroll: false, enrollment: { status: "active" } });

    expect((await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: sam.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: sam.headers })).status).toBe(404);
    expect((await page(null, course.id)).body.enrollment_count).toBe(0);
    expect((await page(sam, course.id)).body.viewer).toMatchObject({ can_enroll: true, enrollment: { status: "cancelled" } });
    const back = await enrolled(sam, course.id);
    expect(back).toMatchObject({ status: "active", enrolled_at: first.enrolled_at });
    expect((await sql.query("SELECT count(*)::int AS n FROM course_enrollments WHERE course_id = $1", [course.id]))[0]!.n).toBe(1);
  });

  it("refuses one's own course, drafts and archived courses", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course } = await publishedCourse(mira, {}, 1);
    expect((await enrol(mira, course.id)).status).toBe(409);
    const draft = await draftCourse(mira);
    expect((await enrol(sam, draft.id)).status).toBe(404);
    await patchCourse(mira, course.id, { status: "archived" });
    expect((await enrol(sam, course.id)).status).toBe(404);
    const other = await signedInUser();
    await enrolled(other, (await publishedCourse(mira, {}, 1)).course.id);
  });

  it("answers 402 with the product to buy for a paid course, and lets a paying learner who left rejoin", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course } = await publishedCourse(mira, { price: "49.00", currency: "EUR" }, 1);
    const res = await enrol(sam, course.id);
    expect(res.status).toBe(402);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 402, code: "payment_required", product_id: course.product_id, price: "49.00", currency: "EUR" });
    expect(course.product_id).toMatch(/^[0-9a-f-]{36}$/);

    // as the paid order leaves it (the Stripe webhook's enrolment)
    const order = await insert("orders", { user_id: sam.id, subtotal: "49.00", tax_total: "0", total: "49.00", billing_email: "sam@example.com", status: "paid" });
    await insert("course_enrollments", { course_id: course.id, user_id: sam.id, order_id: order.id });
    expect((await enrol(sam, course.id)).status).toBe(200);
    await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: sam.headers });
    expect((await enrol(sam, course.id)).body.status).toBe("active");
    await sql.query("UPDATE course_enrollments SET status = 'refunded' WHERE course_id = $1 AND user_id = $2", [course.id, sam.id]);
    // refunded: access is gone, buying again is the way back
    expect((await enrol(sam, course.id)).status).toBe(402);
    expect((await page(sam, course.id)).body.viewer.enrollment).toBeNull();
  });
});
