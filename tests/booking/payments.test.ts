import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds, stripeEvents } from "@/server/db/schema/payments";
import { cancelBooking } from "@/server/features/booking/cancel";
import { createBooking } from "@/server/features/booking/create";
import { expireHold } from "@/server/features/booking/lifecycle";
import { processStripeEvent } from "@/server/features/booking/payment-events";
import { sendJobKey } from "@/server/features/email/outbox";
import { receiveStripeWebhook } from "@/server/features/payments/webhook";
import {
  bookingInput,
  inventoryOf,
  leaveOnly,
  nextSailing,
  bookingStackForFile,
  WEBHOOK_SECRET,
  waitFor,
  holdBooking,
} from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";

const s = bookingStackForFile({}, async () => {
  await s.startWorker();
});

async function book(route: [string, string] = ["TUN", "TPS"], daysAhead = 3, i = 1) {
  const sailing = await nextSailing(s.t, route[0], route[1], daysAhead);
  const { booking, payment } = await holdBooking(s, sailing.id, i, `p${i}@example.com`);
  return { booking, payment, sailing };
}
const statusOf = async (id: string) =>
  (await s.t.db.select().from(bookings).where(eq(bookings.id, id)))[0]!.status;
/** Pays a booking's Checkout session at the emulator and waits for its webhook to confirm the booking. */
async function payAndWaitConfirmed(booking: { id: string }, payment: { checkoutSessionId: string | null }) {
  s.emulator.pay(payment.checkoutSessionId!);
  await waitFor(
    () => statusOf(booking.id),
    (v) => v === "CONFIRMED",
  );
}
const emails = async (bookingId: string, kind?: string) =>
  (await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, bookingId))).filter(
    (e) => !kind || e.kind === kind,
  );
/** graphile-worker jobs still queued or running under these job keys (done jobs are deleted). */
const jobsLeft = async (keys: string[]) =>
  (
    await s.t.sql<
      { n: number }[]
    >`select count(*)::int as n from graphile_worker.jobs where key in ${s.t.sql(keys)}`
  )[0]!.n;
const eventsFor = (sessionId: string, type: string) =>
  s.emulator
    .events()
    .map((v) => v.event)
    .filter((e) => e.type === type && (e.data.object as { id?: string }).id === sessionId);

describe("webhook endpoint", () => {
  const payload = JSON.stringify({
    id: "evt_test_tamper",
    object: "event",
    type: "checkout.session.completed",
    data: { object: {} },
  });

  it("refuses a tampered body and stores nothing", async () => {
    const header = s.stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    await expect(
      receiveStripeWebhook(s.svc, {
        rawBody: payload.replace("tamper", "tamperX"),
        signature: header,
        secret: WEBHOOK_SECRET,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const res = await fetch(s.webhookUrl, {
      method: "POST",
      body: `${payload} `,
      headers: { "stripe-signature": header },
    });
    expect(res.status).toBe(400);
    expect(
      await s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, "evt_test_tamper")),
    ).toHaveLength(0);
  });

  it("refuses a signature 10 minutes old and stores nothing", async () => {
    const header = s.stripe.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    const res = await fetch(s.webhookUrl, {
      method: "POST",
      body: payload,
      headers: { "stripe-signature": header },
    });
    expect(res.status).toBe(400);
    expect(await s.t.db.select().from(stripeEvents)).toHaveLength(0);
  });

  it("refuses a missing signature", async () => {
    const res = await fetch(s.webhookUrl, { method: "POST", body: payload });
    expect(res.status).toBe(400);
  });
});

describe("payment → confirmation", () => {
  it("paying on Stripe confirms the booking: held → sold, payment COMPLETED, one email", async () => {
    const { booking, payment, sailing } = await book(["TUN", "TPS"], 3, 1);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    s.emulator.pay(payment.checkoutSessionId!, "4242424242424242");
    await waitFor(
      () => statusOf(booking.id),
      (v) => v === "CONFIRMED",
    );
    expect(await statusOf(booking.id)).toBe("CONFIRMED");
    const after = await inventoryOf(s.t, sailing.id, "DECK");
    expect(after.held).toBe(before.held - 1);
    expect(after.sold).toBe(before.sold + 1);
    const [p] = await s.t.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(p!.status).toBe("COMPLETED");
    expect(p!.paymentIntentId).toMatch(/^pi_/);
    expect(await emails(booking.id, "booking_confirmed")).toHaveLength(1);
  });

  it("the same event delivered 5 times is processed once, with one email", async () => {
    const { booking, payment, sailing } = await book(["TUN", "TPS"], 4, 2);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    s.emulator.pauseWebhooks();
    s.emulator.pay(payment.checkoutSessionId!);
    const [ev] = eventsFor(payment.checkoutSessionId!, "checkout.session.completed");
    await s.emulator.resumeWebhooks();
    // Resolves once our endpoint has answered all five deliveries (each stored nothing new, queued its job).
    await s.emulator.redeliver(ev!.id, 5);
    await waitFor(
      () => statusOf(booking.id),
      (v) => v === "CONFIRMED",
      15_000,
      "the booking CONFIRMED",
    );
    const outbox = await emails(booking.id, "booking_confirmed");
    expect(outbox).toHaveLength(1);
    // graphile-worker deletes a job once it succeeds: when neither the event's job nor the email's is left,
    // every delivery and every send has had its effect, so the counts below are final.
    await waitFor(
      () => jobsLeft([`stripe:${ev!.id}`, sendJobKey(outbox[0]!.id)]),
      (n) => n === 0,
      15_000,
      "the event's processing job and the email's send job to finish",
    );
    const stored = await s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, ev!.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.processedAt).not.toBeNull();
    expect(await emails(booking.id, "booking_confirmed")).toHaveLength(1);
    const sent = (await s.resend.emails()).filter((e) => e.subject.includes(booking.reference));
    expect(sent).toHaveLength(1);
    const inv = await inventoryOf(s.t, sailing.id, "DECK");
    expect({ held: inv.held, sold: inv.sold }).toEqual({ held: before.held - 1, sold: before.sold + 1 });
  });

  it("`expired` delivered after `completed` leaves the booking CONFIRMED", async () => {
    const { booking, payment } = await book(["TUN", "TPS"], 5, 3);
    await payAndWaitConfirmed(booking, payment);
    // A forged-but-validly-signed expired event for the same session, as if it arrived late.
    const expired = { ...eventsFor(payment.checkoutSessionId!, "checkout.session.completed")[0]! };
    const late = JSON.stringify({
      ...expired,
      id: "evt_late_expired_1",
      type: "checkout.session.expired",
      data: { object: { ...(expired.data.object as object), status: "expired" } },
    });
    const res = await fetch(s.webhookUrl, {
      method: "POST",
      body: late,
      headers: {
        "stripe-signature": s.stripe.webhooks.generateTestHeaderString({
          payload: late,
          secret: WEBHOOK_SECRET,
        }),
      },
    });
    expect(res.status).toBe(200);
    await waitFor(
      async () =>
        (await s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, "evt_late_expired_1")))[0]
          ?.processedAt,
      (v) => !!v,
    );
    expect(await statusOf(booking.id)).toBe("CONFIRMED");
    const [p] = await s.t.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(p!.status).toBe("COMPLETED");
  });

  it("a payment after the hold expired re-takes free places and confirms", async () => {
    const { booking, payment, sailing } = await book(["TUN", "TPS"], 6, 4);
    // The traveller pays at the last second; Stripe's webhook reaches us only after the hold expired.
    s.emulator.pauseWebhooks();
    s.emulator.pay(payment.checkoutSessionId!);
    expect(
      await expireHold(
        svcAt(s.svc, () => new Date(Date.now() + 31 * 60_000)),
        booking.id,
      ),
    ).toBe(true);
    expect(await statusOf(booking.id)).toBe("EXPIRED");
    const mid = await inventoryOf(s.t, sailing.id, "DECK");
    await s.emulator.resumeWebhooks();
    await waitFor(
      () => statusOf(booking.id),
      (v) => v === "CONFIRMED",
    );
    const after = await inventoryOf(s.t, sailing.id, "DECK");
    expect(after.sold).toBe(mid.sold + 1);
    expect(await emails(booking.id, "hold_expired")).toHaveLength(1);
    expect(await emails(booking.id, "booking_confirmed")).toHaveLength(1);
  });

  it("a payment after the hold expired with no places left is refunded automatically", async () => {
    const { booking, payment, sailing } = await book(["TUN", "TPS"], 7, 5);
    s.emulator.pauseWebhooks();
    s.emulator.pay(payment.checkoutSessionId!);
    await expireHold(
      svcAt(s.svc, () => new Date(Date.now() + 31 * 60_000)),
      booking.id,
    );
    await leaveOnly(s.t, sailing.id, "DECK", 0);
    const full = await inventoryOf(s.t, sailing.id, "DECK");
    await s.emulator.resumeWebhooks();
    const refund = await waitFor(
      async () => (await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id)))[0],
      (r) => r?.status === "SUCCEEDED",
    );
    expect(refund!.reason).toBe("LATE_PAYMENT_NO_CAPACITY");
    expect(refund!.amount).toBe(booking.totalAmount);
    expect(await statusOf(booking.id)).toBe("EXPIRED");
    expect(await emails(booking.id, "late_payment_refunded")).toHaveLength(1);
    // Refunded, not squeezed in: the full sailing's inventory is exactly as it was.
    expect(await inventoryOf(s.t, sailing.id, "DECK")).toEqual(full);
  });

  it("a payment for a cancelled booking is refunded", async () => {
    const { booking, payment } = await book(["TUN", "TPS"], 8, 6);
    s.emulator.pauseWebhooks();
    s.emulator.pay(payment.checkoutSessionId!);
    await cancelBooking(s.svc, booking.id);
    await s.emulator.resumeWebhooks();
    const refund = await waitFor(
      async () => (await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id)))[0],
      (r) => r?.status === "SUCCEEDED",
    );
    expect(refund!.reason).toBe("PAYMENT_FOR_CANCELLED_BOOKING");
    expect(await statusOf(booking.id)).toBe("CANCELLED");
  });

  it("a job that dies halfway retries and ends like a clean run", async () => {
    const { booking, payment, sailing } = await book(["TUN", "TPS"], 9, 7);
    const before = await inventoryOf(s.t, sailing.id, "DECK");
    // The first attempt to mark a booking CONFIRMED crashes after the inventory was already moved in the
    // same transaction; a sequence is not rolled back, so only the first attempt fails.
    await s.t.db.execute(sql`
      create sequence crash_once;
      create function crash_once() returns trigger language plpgsql as $$
      begin
        if new.status = 'CONFIRMED' and nextval('crash_once') = 1 then raise exception 'injected crash'; end if;
        return new;
      end $$;
      create trigger crash_once before update on bookings for each row execute function crash_once();`);
    try {
      s.emulator.pay(payment.checkoutSessionId!);
      await waitFor(
        () => statusOf(booking.id),
        (v) => v === "CONFIRMED",
        20_000,
      );
    } finally {
      await s.t.db.execute(
        sql`drop trigger crash_once on bookings; drop function crash_once(); drop sequence crash_once;`,
      );
    }
    expect(await statusOf(booking.id)).toBe("CONFIRMED");
    const after = await inventoryOf(s.t, sailing.id, "DECK");
    expect(after.held).toBe(before.held - 1);
    expect(after.sold).toBe(before.sold + 1);
    expect(await emails(booking.id, "booking_confirmed")).toHaveLength(1);
  });

  it("re-processing an already processed event changes nothing", async () => {
    const { booking, payment } = await book(["TUN", "TPS"], 10, 8);
    await payAndWaitConfirmed(booking, payment);
    const [ev] = eventsFor(payment.checkoutSessionId!, "checkout.session.completed");
    await waitFor(
      async () =>
        (await s.t.db.select().from(stripeEvents).where(eq(stripeEvents.id, ev!.id)))[0]?.processedAt,
      (v) => !!v,
    );
    await s.t.db.update(stripeEvents).set({ processedAt: null }).where(eq(stripeEvents.id, ev!.id));
    await processStripeEvent(s.svc, ev!.id);
    expect(await emails(booking.id)).toHaveLength(1);
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, booking.id))).toHaveLength(0);
  });
});

describe("Stripe down at booking time", () => {
  it("keeps the booking pending and payable later", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 11);
    s.emulator.failNext(5, 500);
    const r = await createBooking(
      s.svc,
      bookingInput(sailing.id, { contact: { email: "down@example.com" } }),
    );
    expect(r.checkoutUrl).toBeNull();
    expect(r.paymentError).toMatch(/try/);
    s.emulator.reset();
    const { payForTraveller } = await import("@/server/features/booking/manage");
    const again = await payForTraveller(
      s.svc,
      { reference: r.reference, email: "down@example.com" },
      { ip: "1.2.3.4" },
    );
    expect(again.checkoutUrl).toContain("/pay/cs_test_");
    const same = await payForTraveller(
      s.svc,
      { reference: r.reference, email: "down@example.com" },
      { ip: "1.2.3.4" },
    );
    expect(same.checkoutUrl).toBe(again.checkoutUrl);
  });
});
