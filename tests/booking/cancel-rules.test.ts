import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { routes } from "@/server/db/schema/network";
import { refunds } from "@/server/db/schema/payments";
import { adminCancelBooking, cancelBookingAsAdmin } from "@/server/features/booking/admin-cancel";
import { cancelBooking, refundPreview } from "@/server/features/booking/cancel";
import { applyPaidCheckout, expireHold } from "@/server/features/booking/lifecycle";
import { POLICY_TEXT } from "@/server/features/booking/policy";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import { holdBooking, bookingStackForFile, inventoryOf, nextSailing } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

/**
 * Cancellation rule by rule, with the clock placed relative to the departure: the preview's every field,
 * the refund each rule gives (policy, full, an admin's amount, out of range), who may cancel after
 * departure, and the admin wrapper's audit row and re-run behaviour.
 */
let actor: ReturnType<typeof actorOf>;
const s = bookingStackForFile({ days: 14 }, async () => {
  actor = actorOf(await makeAdmin(s.svc, "cancel-rules"));
});

const DAY = 24 * 3600_000;
let n = 0;
async function held(daysAhead = 10) {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const { reference, booking: b, payment: p } = await holdBooking(s, sailing.id, i, `rules${i}@example.com`);
  const r = { reference };
  const [route] = await s.t.db
    .select()
    .from(routes)
    .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "TPS")));
  return { booking: b!, payment: p!, sailing, policy: route!.refundPolicy, reference: r.reference };
}
async function confirmed(daysAhead = 10) {
  const h = await held(daysAhead);
  await applyPaidCheckout(s.svc, {
    sessionId: h.payment.checkoutSessionId!,
    paymentIntentId: `pi_rules_${n}`,
    amountTotal: h.booking.totalAmount,
    currency: "eur",
    metadata: {},
  });
  return h;
}
/** The stack's Services standing `ms` before the sailing leaves. */
const ahead = (h: { sailing: { departureAt: Date } }, ms: number) =>
  svcAt(s.svc, new Date(h.sailing.departureAt.getTime() - ms));
const refundRows = (bookingId: string) =>
  s.t.db.select().from(refunds).where(eq(refunds.bookingId, bookingId));
const statusOf = async (id: string) =>
  (await s.t.db.select().from(bookings).where(eq(bookings.id, id)))[0]!.status;

describe("refundPreview", () => {
  it("a held booking: cancellable, nothing paid, nothing refunded, the route's policy", async () => {
    const h = await held();
    expect(await refundPreview(ahead(h, 9 * DAY), h.booking.id)).toEqual({
      cancellable: true,
      reason: null,
      band: "FULL",
      percent: 0,
      refund: { amount: 0, currency: "EUR" },
      paid: { amount: 0, currency: "EUR" },
      policy: POLICY_TEXT[h.policy],
    });
  });

  it("a paid booking: the policy band's share; after departure or once cancelled, not cancellable", async () => {
    const h = await confirmed();
    const total = h.booking.totalAmount;
    const full = await refundPreview(ahead(h, 9 * DAY), h.booking.id);
    expect(full).toMatchObject({ cancellable: true, band: "FULL", percent: 100, refund: { amount: total } });
    expect(full.paid).toEqual({ amount: total, currency: "EUR" });
    const departed = await refundPreview(ahead(h, 0), h.booking.id);
    expect(departed).toMatchObject({
      cancellable: false,
      band: "DEPARTED",
      reason: "The sailing has already left, so the booking can no longer be cancelled.",
    });
    await cancelBooking(ahead(h, 9 * DAY), h.booking.id);
    expect(await refundPreview(ahead(h, 9 * DAY), h.booking.id)).toMatchObject({
      cancellable: false,
      reason: "This booking is already cancelled.",
      refund: { amount: 0 },
    });
    const e = await held();
    await expireHold(svcAt(s.svc, e.booking.holdExpiresAt), e.booking.id);
    expect((await refundPreview(s.svc, e.booking.id)).reason).toBe("This booking is already expired.");
    await expect(refundPreview(s.svc, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("cancelBooking", () => {
  it("a held booking: places freed, no refund, its open session expired, the email saying 0", async () => {
    const h = await held();
    const seats = await inventoryOf(s.t, h.sailing.id, "DECK");
    const when = new Date(h.sailing.departureAt.getTime() - 9 * DAY);
    expect(await cancelBooking(svcAt(s.svc, when), h.booking.id)).toEqual({
      status: "CANCELLED",
      refund: { amount: 0, currency: "EUR" },
    });
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.id, h.booking.id));
    expect(b).toMatchObject({ status: "CANCELLED", cancelledAt: when, updatedAt: when });
    expect((await inventoryOf(s.t, h.sailing.id, "DECK")).held).toBe(seats.held - 1);
    expect(await refundRows(h.booking.id)).toEqual([]);
    const jobs = await s.t.sql<{ key: string }[]>`
      select key from graphile_worker.jobs where key in (${`expire-session:${h.payment.id}`}, ${`hold:${h.booking.id}`})`;
    expect(jobs.map((j) => j.key)).toEqual([`expire-session:${h.payment.id}`]);
    const [mail] = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, h.booking.id));
    expect(mail).toMatchObject({
      kind: "booking_cancelled",
      dedupeKey: `cancelled:${h.booking.id}`,
      data: { refundAmount: 0, currency: "EUR", reason: null },
    });
  });

  it("refund rules: full, an admin's amount, the reason passed on; out of range refused with nothing changed", async () => {
    const a = await confirmed();
    const total = a.booking.totalAmount;
    // Inside 48 h the policy gives nothing, but FULL gives everything still refundable.
    expect(
      (await cancelBooking(ahead(a, DAY), a.booking.id, { refund: { kind: "FULL" } })).refund.amount,
    ).toBe(total);
    expect((await refundRows(a.booking.id)).map((r) => [r.amount, r.reason, r.createdBy])).toEqual([
      [total, "CUSTOMER_CANCELLATION", null],
    ]);
    const b = await confirmed();
    const over = { refund: { kind: "AMOUNT", amount: total + 1 } as const, adminUserId: actor.userId };
    await expect(cancelBooking(ahead(b, DAY), b.booking.id, over)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `The refund cannot be more than the ${(total / 100).toFixed(2)} EUR still refundable.`,
      details: { maxRefund: total },
    });
    await expect(
      cancelBooking(ahead(b, DAY), b.booking.id, { refund: { kind: "AMOUNT", amount: -1 } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await statusOf(b.booking.id)).toBe("CONFIRMED");
    expect(await refundRows(b.booking.id)).toEqual([]);
    const r = await cancelBooking(ahead(b, DAY), b.booking.id, {
      refund: { kind: "AMOUNT", amount: total },
      adminUserId: actor.userId,
      reason: "SAILING_CANCELLED",
    });
    expect(r.refund.amount).toBe(total);
    expect((await refundRows(b.booking.id)).map((x) => [x.amount, x.reason, x.createdBy])).toEqual([
      [total, "SAILING_CANCELLED", actor.userId],
    ]);
    const [mail] = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "booking_cancelled"));
    expect(mail).toBeDefined();
    const c = await confirmed();
    await cancelBooking(ahead(c, DAY), c.booking.id, {
      refund: { kind: "AMOUNT", amount: 0 },
      adminUserId: actor.userId,
    });
    expect(await refundRows(c.booking.id)).toEqual([]);
  });

  it("after departure only an admin may cancel; the policy then refunds nothing", async () => {
    const h = await confirmed();
    await expect(cancelBooking(ahead(h, 0), h.booking.id)).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "DEPARTED" },
    });
    await expect(cancelBooking(ahead(h, 1), h.booking.id)).resolves.toMatchObject({ status: "CANCELLED" });
    const g = await confirmed();
    const r = await cancelBooking(ahead(g, -DAY), g.booking.id, { adminUserId: actor.userId });
    expect(r.refund.amount).toBe(0);
    await expect(cancelBooking(s.svc, g.booking.id)).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "NOT_CANCELLABLE" },
    });
  });
});

describe("refusals, each with its message, and nothing changed", () => {
  const missing = "00000000-0000-4000-8000-000000000000";
  const notFound = { code: "NOT_FOUND", message: "We found no booking with this reference and email." };

  it("an unknown booking, one already cancelled or expired, one being confirmed, one that has left", async () => {
    await expect(cancelBooking(s.svc, missing)).rejects.toMatchObject(notFound);
    await expect(refundPreview(s.svc, missing)).rejects.toMatchObject(notFound);

    const c = await held();
    await cancelBooking(s.svc, c.booking.id);
    await expect(cancelBooking(s.svc, c.booking.id)).rejects.toMatchObject({
      message: "This booking is already cancelled.",
      details: { reason: "NOT_CANCELLABLE", status: "CANCELLED" },
    });
    const e = await held();
    expect(await expireHold(svcAt(s.svc, e.booking.holdExpiresAt), e.booking.id)).toBe(true);
    await expect(cancelBooking(s.svc, e.booking.id)).rejects.toMatchObject({
      message: "This booking is already expired.",
      details: { reason: "NOT_CANCELLABLE", status: "EXPIRED" },
    });

    const f = await confirmed();
    await s.t.db.update(bookings).set({ status: "CONFIRMING" }).where(eq(bookings.id, f.booking.id));
    await expect(cancelBooking(s.svc, f.booking.id)).rejects.toMatchObject({
      message: "This booking is being confirmed with the ferry company. Try again in a minute.",
    });
    expect(await statusOf(f.booking.id)).toBe("CONFIRMING");
    expect(await refundRows(f.booking.id)).toEqual([]);

    const g = await confirmed();
    await expect(cancelBooking(ahead(g, 0), g.booking.id)).rejects.toMatchObject({
      message: "The sailing has already left, so the booking can no longer be cancelled.",
    });
    expect(await statusOf(g.booking.id)).toBe("CONFIRMED");
  });

  it("an admin: an unknown booking is named as such; an expired one is skipped when asked", async () => {
    const policy = { refund: { kind: "POLICY" } as const, reason: "SAILING_CANCELLED" as const };
    await expect(cancelBookingAsAdmin(s.svc, actor, missing, policy)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This booking does not exist.",
    });
    const e = await held();
    await expireHold(svcAt(s.svc, e.booking.holdExpiresAt), e.booking.id);
    expect(
      await cancelBookingAsAdmin(s.svc, actor, e.booking.id, { ...policy, skipInactive: true }),
    ).toBeNull();
    await expect(cancelBookingAsAdmin(s.svc, actor, e.booking.id, policy)).rejects.toMatchObject({
      details: { reason: "NOT_CANCELLABLE", status: "EXPIRED" },
    });
    expect(await s.t.db.select().from(auditLog).where(eq(auditLog.entityId, e.booking.id))).toEqual([]);
  });
});

describe("cancelBookingAsAdmin", () => {
  it("writes the audit row with the change; skips inactive bookings only when asked", async () => {
    const h = await confirmed();
    const r = await cancelBookingAsAdmin(ahead(h, 9 * DAY), actor, h.booking.id, {
      refund: { kind: "POLICY" },
      reason: "ADMIN_CANCELLATION",
      note: "called the office",
    });
    expect(r).toEqual({ status: "CANCELLED", refund: { amount: h.booking.totalAmount, currency: "EUR" } });
    const [audit] = await s.t.db.select().from(auditLog).where(eq(auditLog.entityId, h.booking.id));
    expect(audit).toMatchObject({
      adminUserId: actor.userId,
      action: "bookings.cancel",
      entity: "booking",
      before: { status: "CONFIRMED" },
      after: { status: "CANCELLED", refund: r!.refund, refundRule: "POLICY", note: "called the office" },
    });
    const again = { refund: { kind: "POLICY" } as const, reason: "SAILING_CANCELLED" as const };
    expect(
      await cancelBookingAsAdmin(s.svc, actor, h.booking.id, { ...again, skipInactive: true }),
    ).toBeNull();
    await expect(cancelBookingAsAdmin(s.svc, actor, h.booking.id, again)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(
      cancelBookingAsAdmin(s.svc, actor, "00000000-0000-4000-8000-000000000000", again),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const g = await confirmed();
    await cancelBookingAsAdmin(s.svc, actor, g.booking.id, again);
    const [a2] = await s.t.db.select().from(auditLog).where(eq(auditLog.entityId, g.booking.id));
    expect(a2).toMatchObject({ action: "schedule.cancelSailing.booking", after: { note: null } });
  });

  it("from the booking page: the policy by default, the admin's amount when given", async () => {
    const a = await confirmed();
    const viaPolicy = await adminCancelBooking(ahead(a, 9 * DAY), actor, { reference: a.reference });
    expect(viaPolicy.refund.amount).toBe(a.booking.totalAmount);
    const b = await confirmed();
    const viaAmount = await adminCancelBooking(s.svc, actor, { reference: b.reference, refundAmount: 150 });
    expect(viaAmount.refund.amount).toBe(150);
    const [audit] = await s.t.db.select().from(auditLog).where(eq(auditLog.entityId, b.booking.id));
    expect(audit!.after).toMatchObject({ refundRule: "AMOUNT" });
  });
});
