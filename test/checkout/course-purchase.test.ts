import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { insert, sql, uniq } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { addToCart, checkout, deliverCapturing, makeLicense, makeProduct, order } from "./fixtures";

const stripe = useFakeStripe();

/** A published paid course sold as its marketplace product (category 'course'), with two lessons. */
async function paidCourse(educatorId: string) {
  const product = await makeProduct(educatorId, { price: "49.00", name: `Course ${uniq()}` });
  await sql.query(`UPDATE products SET category = 'course' WHERE id = $1`, [product.id]);
  const license = await makeLicense(product.id, { name: "Course access", price: "49.00" });
  const tag = uniq();
  const course = (await insert(
    "courses",
    { educator_id: educatorId, title: `Mixing ${tag}`, slug: `mixing-${tag}`, price: "49.00", product_id: product.id, status: "published", published_at: new Date().toISOString() },
    "id",
  )) as { id: string };
  for (const position of [0, 1]) await insert("lessons", { course_id: course.id, title: `Lesson ${position + 1}`, content: "Listen first.", position });
  return { course, product, license };
}

const enrolment = async (courseId: string, userId: string) =>
  (await sql.query(`SELECT status, order_id, progress_percent FROM course_enrollments WHERE course_id = $1 AND user_id = $2`, [courseId, userId]))[0];

/** The buyer checks the course out and Stripe reports the session paid. */
async function buy(buyer: Awaited<ReturnType<typeof signedInUser>>, productId: string, licenseId: string) {
  await addToCart(buyer, productId, { license_id: licenseId });
  const placed = (await checkout(buyer)).body.order;
  const sessionId = (await order(placed.id)).stripe_checkout_session_id as string;
  return { placed, sessionId };
}

describe("a paid course bought through the marketplace", () => {
  it("enrols the buyer when the payment is applied, not before, and only once", async () => {
    const [educator, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const { course, product, license } = await paidCourse(educator.id);
    const { placed, sessionId } = await buy(buyer, product.id, license.id);
    expect(await enrolment(course.id, buyer.id)).toBeUndefined();

    const event = stripe.completeSession(sessionId);
    expect((await deliverCapturing(event)).body.outcome).toBe("applied");
    expect(await enrolment(course.id, buyer.id)).toEqual({ status: "active", order_id: placed.id, progress_percent: 0 });
    // a redelivery is a no-op
    expect((await deliverCapturing(event)).status).toBe(200);
    const counted = await sql.query(`SELECT enrollment_count FROM courses WHERE id = $1`, [course.id]);
    expect(counted[0]!.enrollment_count).toBe(1);
  });

  it("gives a learner who had left the course their access and progress back", async () => {
    const [educator, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const { course, product, license } = await paidCourse(educator.id);
    await insert("course_enrollments", { course_id: course.id, user_id: buyer.id, status: "cancelled" });
    const lesson = (await sql.query(`SELECT id FROM lessons WHERE course_id = $1 AND position = 0`, [course.id]))[0]!.id;
    await insert("lesson_progress", { user_id: buyer.id, course_id: course.id, lesson_id: lesson, status: "completed", completed_at: new Date().toISOString() });

    const { placed, sessionId } = await buy(buyer, product.id, license.id);
    await deliverCapturing(stripe.completeSession(sessionId));
    expect(await enrolment(course.id, buyer.id)).toEqual({ status: "active", order_id: placed.id, progress_percent: 50 });
  });

  it("enrols nobody when the session expires instead", async () => {
    const [educator, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const { course, product, license } = await paidCourse(educator.id);
    const { sessionId } = await buy(buyer, product.id, license.id);
    await deliverCapturing(stripe.expireSession(sessionId));
    expect(await enrolment(course.id, buyer.id)).toBeUndefined();
  });

  it("takes the course and its certificate back on a full refund, and leaves them on a partial one", async () => {
    const [educator, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const { course, product, license } = await paidCourse(educator.id);
    const { sessionId } = await buy(buyer, product.id, license.id);
    await deliverCapturing(stripe.completeSession(sessionId));
    await insert("certificates", {
      course_id: course.id, user_id: buyer.id, code: `cert${uniq()}abcdefgh`, course_title: "Mixing", learner_name: buyer.username, signature: "sig",
    });

    expect((await deliverCapturing(stripe.refundCharge(sessionId, 1000))).body.outcome).toBe("applied");
    expect((await enrolment(course.id, buyer.id))!.status).toBe("active");

    expect((await deliverCapturing(stripe.refundCharge(sessionId))).body.outcome).toBe("applied");
    expect((await enrolment(course.id, buyer.id))!.status).toBe("refunded");
    const [certificate] = await sql.query(`SELECT revoked_at, revocation_reason FROM certificates WHERE course_id = $1 AND user_id = $2`, [course.id, buyer.id]);
    expect(certificate!.revoked_at).not.toBeNull();
    expect(certificate!.revocation_reason).toMatch(/refunded/);
  });

  it("leaves another learner's free enrolment and other products' orders alone", async () => {
    const [educator, buyer, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const { course } = await paidCourse(educator.id);
    await insert("course_enrollments", { course_id: course.id, user_id: other.id });
    const beat = await makeProduct(educator.id, { price: "5.00" });
    await addToCart(buyer, beat.id);
    const placed = (await checkout(buyer)).body.order;
    const sessionId = (await order(placed.id)).stripe_checkout_session_id as string;
    await deliverCapturing(stripe.completeSession(sessionId));
    await deliverCapturing(stripe.refundCharge(sessionId));
    expect(await enrolment(course.id, buyer.id)).toBeUndefined();
    expect((await enrolment(course.id, other.id))!.status).toBe("active");
  });
});
