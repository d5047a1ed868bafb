import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { executeRefund } from "@/server/features/payments/refunds";
import { adult, nextSailing, bookingStackForFile, holdBooking, payAndApply } from "../helpers/booking-stack";
import { adminCaller } from "./admin-helpers";

let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
const s = bookingStackForFile({ days: 21 }, async () => {
  ({ caller: api } = await adminCaller(s.svc));
});

async function confirmed(i: number, lastName = "Ben Salah") {
  const sailing = await nextSailing(s.t, "TUN", "TPS", 10);
  const held = await holdBooking(s, sailing.id, i, `bk${i}@example.com`, {
    passengers: [{ ...adult(i), lastName }],
  });
  const { paid } = await payAndApply(s, held.payment);
  const { reference, email } = held;
  return { id: held.booking.id, reference, email, total: paid.amountTotal, sailingId: sailing.id };
}

describe("admin bookings", () => {
  it("finds bookings by reference, email, passenger name and sailing", async () => {
    const a = await confirmed(1, "Zarrouk");
    const b = await confirmed(2, "Haddad");
    const ref = (q: Parameters<typeof api.admin.bookings.search>[0]) =>
      api.admin.bookings.search(q).then((r) => r.items.map((i) => i.reference));
    expect(await ref({ q: a.reference.toLowerCase() })).toEqual([a.reference]);
    expect(await ref({ q: a.reference.slice(0, 8) })).toContain(a.reference);
    expect(await ref({ q: "BK2@EXAMPLE" })).toEqual([b.reference]);
    expect(await ref({ q: "zarrouk" })).toEqual([a.reference]);
    expect(await ref({ q: "Amira2 Hadd" })).toEqual([b.reference]);
    expect(await ref({ sailingId: a.sailingId })).toEqual(expect.arrayContaining([a.reference, b.reference]));
    expect(await ref({ q: "%" })).toEqual([]); // wildcards are literal
    const page = await api.admin.bookings.search({ pageSize: 1, sort: "total", dir: "asc" });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.items[0]).toMatchObject({ leadPassenger: expect.any(String), passengers: 1 });
  });

  it("refunds part of a booking, refuses more than is left, and shows it all on the booking page", async () => {
    const b = await confirmed(3);
    const part = await api.admin.bookings.refund({
      reference: b.reference,
      amount: 1_000,
      note: "Cabin downgrade",
    });
    expect(part).toMatchObject({ amount: 1_000, status: "PENDING" });
    // The pending 10.00 counts: asking for the full total now is too much.
    await expect(
      api.admin.bookings.refund({ reference: b.reference, amount: b.total }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await executeRefund(s.svc, part.refundId);
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b.id));
    expect(p).toMatchObject({ status: "PARTIALLY_REFUNDED", amountRefunded: 1_000 });

    const page = await api.admin.bookings.get({ reference: b.reference });
    expect(page.refundable.amount).toBe(b.total - 1_000);
    expect(page.refunds).toEqual([
      expect.objectContaining({ amount: 1_000, status: "SUCCEEDED", reason: "ADMIN_REFUND" }),
    ]);
    expect(page.passengers[0]).toMatchObject({ hasDocument: true });
    expect(JSON.stringify(page)).not.toContain("X100003"); // the passport number stays in the database
    const types = page.timeline.map((e) => e.type);
    for (const t of [
      "booking.created",
      "booking.confirmed",
      "payment.created",
      "refund.requested",
      "refund.SUCCEEDED",
      "email.queued",
      "admin.bookings.refund",
    ]) {
      expect(types).toContain(t);
    }
    const times = page.timeline.map((e) => e.at.getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it("cancels with an override amount, capped at what is refundable", async () => {
    const b = await confirmed(4);
    await expect(
      api.admin.bookings.cancel({ reference: b.reference, refundAmount: b.total + 1 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const r = await api.admin.bookings.cancel({
      reference: b.reference,
      refundAmount: 2_500,
      note: "Goodwill",
    });
    expect(r).toMatchObject({ status: "CANCELLED", refund: { amount: 2_500 } });
    const rows = await s.t.db.select().from(refunds).where(eq(refunds.bookingId, b.id));
    expect(rows).toEqual([expect.objectContaining({ amount: 2_500, reason: "ADMIN_CANCELLATION" })]);
    await expect(api.admin.bookings.cancel({ reference: b.reference })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // A further refund after the cancellation is still possible, up to what was paid.
    const more = await api.admin.bookings.refund({ reference: b.reference });
    expect(more.amount).toBe(b.total - 2_500);
  });

  it("cancels by the policy when no amount is given (full refund more than 7 days out)", async () => {
    const b = await confirmed(5);
    const page = await api.admin.bookings.get({ reference: b.reference });
    expect(page.cancelPreview).toMatchObject({ cancellable: true, band: "FULL", maxRefund: b.total });
    const r = await api.admin.bookings.cancel({ reference: b.reference });
    expect(r.refund.amount).toBe(page.cancelPreview.refund.amount);
  });

  it("resends an email as a new outbox row, audited on the booking", async () => {
    const b = await confirmed(6);
    const [orig] = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, b.id));
    // Still queued (no worker here): a resend would race the first send, so it is refused.
    await expect(api.admin.bookings.resendEmail({ outboxId: orig!.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await s.t.db
      .update(emailOutbox)
      .set({ status: "FAILED", lastError: "422 invalid address" })
      .where(eq(emailOutbox.id, orig!.id));
    const r = await api.admin.emails.resend({ outboxId: orig!.id });
    expect(r.outboxId).not.toBe(orig!.id);
    const [copy] = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.id, r.outboxId));
    expect(copy).toMatchObject({ kind: orig!.kind, status: "QUEUED", bookingId: b.id });
    const page = await api.admin.bookings.get({ reference: b.reference });
    expect(page.timeline.map((e) => e.type)).toContain("admin.emails.resend");
    const jobs = await s.t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where key = ${`email:${r.outboxId}`}`,
    );
    expect(Number([...jobs][0]?.n)).toBe(1);
  });

  it("answers NOT_FOUND for an unknown reference", async () => {
    await expect(api.admin.bookings.get({ reference: "TRV-ZZZZZZZZ" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
