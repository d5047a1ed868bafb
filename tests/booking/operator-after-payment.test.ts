import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { cancelBooking, refundPreview } from "@/server/features/booking/cancel";
import { createBooking } from "@/server/features/booking/create";
import { operatorSailingCancelled } from "@/server/features/booking/operator-sailing-cancelled";
import { applyMarkup } from "@/server/features/operators/markup";
import { waitFor } from "../helpers/booking-stack";
import {
  atOperator,
  bookAndPay,
  bookingOf,
  connectedInput,
  control,
  emailsOf,
  operatorStackForFile,
  operatorSailing,
  refundsOf,
  statusOf,
  waitForStatus,
} from "./operator-stack";

const st = operatorStackForFile();

/** Every status the booking went through, sampled until it settles on `last`. */
async function statusesUntil(id: string, last: string, timeoutMs = 20_000): Promise<string[]> {
  const seen: string[] = [];
  await waitFor(
    async () => {
      const s = await statusOf(st, id);
      if (seen.at(-1) !== s) seen.push(s);
      return s;
    },
    (s) => s === last,
    timeoutMs,
    `booking ${id} to become ${last}`,
  );
  return seen;
}

const callsOf = async (operation: string) => {
  const res = await fetch(`${st.gnv.url}/_emulator/calls`);
  return ((await res.json()) as { operations: Record<string, number> }).operations[operation] ?? 0;
};

describe("after payment", () => {
  it("an operator refusing to confirm: full refund, an email saying so, never CONFIRMED", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 9);
    // Confirmations of this booking are refused because its provisional booking has lapsed at the operator.
    const r = await createBooking(st.svc, connectedInput(sailing.id));
    const { booking, payment } = await bookingOf(st, r.reference);
    await control(st, "clock", { advanceMinutes: 50 });
    try {
      st.s.emulator.pay(payment.checkoutSessionId!);
      const seen = await statusesUntil(booking.id, "CANCELLED");
      expect(seen).not.toContain("CONFIRMED");
      const [b] = await st.s.t.db.select().from(bookings).where(eq(bookings.id, booking.id));
      expect(b!.confirmedAt).toBeNull();
      const refunds = await refundsOf(st, booking.id);
      expect(refunds.map((x) => [x.amount, x.reason])).toEqual([[r.total.amount, "OPERATOR_REFUSED"]]);
      const mails = await emailsOf(st, booking.id, "late_payment_refunded");
      expect(mails).toHaveLength(1);
      expect(mails[0]!.data).toMatchObject({ reason: "OPERATOR_REFUSED", amount: r.total.amount });
      expect(await emailsOf(st, booking.id, "booking_confirmed")).toHaveLength(0);
      // The refund reaches Stripe through the refund job.
      await waitFor(
        () => refundsOf(st, booking.id),
        (rs) => rs[0]?.status === "SUCCEEDED",
        20_000,
        "the refund to succeed",
      );
    } finally {
      await control(st, "clock", { now: new Date().toISOString() });
    }
  }, 40_000);

  it("a transient error on confirm is retried, then the booking is CONFIRMED", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 10);
    await control(st, "fail-next", { operation: "confirm", count: 1, status: 503 });
    const confirmsBefore = await callsOf("ConfirmBooking");
    const { r, booking } = await bookAndPay(st, connectedInput(sailing.id));
    const seen = await statusesUntil(booking.id, "CONFIRMED", 30_000);
    expect(seen).toContain("CONFIRMING");
    expect((await callsOf("ConfirmBooking")) - confirmsBefore).toBe(2);
    expect((await atOperator(st, `${r.reference}-OUT`))?.status).toBe("CONFIRMED");
    expect(await refundsOf(st, booking.id)).toHaveLength(0);
    expect(await emailsOf(st, booking.id, "booking_confirmed")).toHaveLength(1);
  }, 40_000);
});

describe("cancelling", () => {
  it("refunds what was paid minus the operator's cancel charge", async () => {
    // More than 7 days ahead: the operator keeps 10 % of its fare; Traverse's policy would refund all.
    const sailing = await operatorSailing(st, "TUN", "PMO", 12);
    const { r, booking } = await bookAndPay(st, connectedInput(sailing.id));
    await waitForStatus(st, booking.id, "CONFIRMED");
    const charge = Math.round(8900 * 0.1);
    const preview = await refundPreview(st.svc, booking.id);
    expect(preview.refund.amount).toBe(r.total.amount - charge);
    const res = await cancelBooking(st.svc, booking.id);
    expect(res.refund).toEqual({ amount: applyMarkup(8900, 800) - charge, currency: "EUR" });
    expect((await atOperator(st, `${r.reference}-OUT`))?.status).toBe("CANCELLED");
    const refunds = await refundsOf(st, booking.id);
    expect(refunds.map((x) => x.amount)).toEqual([r.total.amount - charge]);
    const { legs } = await bookingOf(st, r.reference);
    expect(legs[0]!.operatorStatus).toBe("cancelled");
  }, 40_000);

  it("the operator down at cancel time: nothing cancelled, nothing refunded, a clear message", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 13);
    const { booking } = await bookAndPay(st, connectedInput(sailing.id));
    await waitForStatus(st, booking.id, "CONFIRMED");
    await control(st, "down", { seconds: 5 });
    try {
      await expect(cancelBooking(st.svc, booking.id)).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
      });
    } finally {
      await control(st, "down", { seconds: 0 });
    }
    expect(await statusOf(st, booking.id)).toBe("CONFIRMED");
    expect(await refundsOf(st, booking.id)).toHaveLength(0);
  }, 40_000);
});

describe("an operator cancelling its sailing", () => {
  it("sends the sailing notice and refunds every booking on it in full", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 15);
    const a = await bookAndPay(st, connectedInput(sailing.id));
    const b = await bookAndPay(st, connectedInput(sailing.id));
    await waitForStatus(st, a.booking.id, "CONFIRMED");
    await waitForStatus(st, b.booking.id, "CONFIRMED");
    await control(st, "cancel-sailing", { sailingId: sailing.ref });
    const result = await operatorSailingCancelled(st.svc, {
      operator: "GNV",
      operatorSailingId: sailing.ref,
    });
    expect(result).toMatchObject({ noticesQueued: 2, bookingsCancelled: 2, failed: 0 });
    for (const x of [a, b]) {
      expect(await statusOf(st, x.booking.id)).toBe("CANCELLED");
      expect((await refundsOf(st, x.booking.id)).map((f) => [f.amount, f.reason])).toEqual([
        [x.r.total.amount, "SAILING_CANCELLED"],
      ]);
      expect(await emailsOf(st, x.booking.id, "sailing_notice")).toHaveLength(1);
    }
    const [shadow] = await st.s.t.db
      .select({ status: sailings.status })
      .from(sailings)
      .where(eq(sailings.operatorSailingId, sailing.ref));
    expect(shadow!.status).toBe("CANCELLED");
    // A repeat (the feed and a push both report it) changes nothing.
    const again = await operatorSailingCancelled(st.svc, { operator: "GNV", operatorSailingId: sailing.ref });
    expect(again).toMatchObject({ noticesQueued: 0, bookingsCancelled: 0 });
    expect(await refundsOf(st, a.booking.id)).toHaveLength(1);
  }, 40_000);
});
