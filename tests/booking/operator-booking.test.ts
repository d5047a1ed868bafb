import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, priceLines } from "@/server/db/schema/bookings";
import { cancelBooking } from "@/server/features/booking/cancel";
import { createBooking } from "@/server/features/booking/create";
import { expireHold } from "@/server/features/booking/lifecycle";
import { releaseOperatorHold } from "@/server/features/booking/operator-release";
import { getBookingView } from "@/server/features/booking/view";
import { applyMarkup } from "@/server/features/operators/markup";
import { inventoryOf, leaveOnly, waitFor } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";
import {
  atOperator,
  bookAndPay,
  bookingOf,
  connectedInput,
  control,
  emailsOf,
  operatorStackForFile,
  operatorSailing,
  ownReturnSailing,
  waitForStatus,
} from "./operator-stack";

const st = operatorStackForFile();

/** Polls the emulator until the booking under `agentReference` is in `status`. */
const waitAtOperator = (agentReference: string, status: string, timeoutMs = 20_000) =>
  waitFor(
    () => atOperator(st, agentReference),
    (b) => b?.status === status,
    timeoutMs,
    `${agentReference} to be ${status} at the operator`,
  );

/** The operator's bookings on one of its sailings, as its emulator holds them. */
async function atOperatorOn(sailingRef: string) {
  const res = await fetch(`${st.gnv.url}/_emulator/bookings`);
  const all = (
    (await res.json()) as {
      bookings: { agentReference: string; status: string; sailing: { sailingId: string } }[];
    }
  ).bookings;
  return all.filter((b) => b.sailing.sailingId === sailingRef);
}

describe("booking a connected operator's sailing", () => {
  it("holds at the operator, prices with the markup, and after payment confirms there then here", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 10);
    // From a client, as through the API: the fair-use limits run (they count own places only).
    const r = await createBooking(st.svc, connectedInput(sailing.id), { ip: "203.0.113.7" });
    expect(r.status).toBe("PENDING_PAYMENT");
    expect(r.checkoutUrl).toBeTruthy();
    const { booking, legs, payment } = await bookingOf(st, r.reference);
    const agentReference = `${r.reference}-OUT`;
    const held = await atOperator(st, agentReference);
    expect(held?.status).toBe("PROVISIONAL");
    expect(legs).toHaveLength(1);
    expect(legs[0]!.operatorReference).toBe(held!.operatorReference);
    expect(legs[0]!.operatorStatus).toBe("provisional");
    // Fresh operator fare (1 adult, DECK, TUN→PMO base 8900) plus 8 % markup, as a service-fee line.
    expect(r.total).toEqual({ amount: applyMarkup(8900, 800), currency: "EUR" });
    const lines = await st.s.t.db.select().from(priceLines).where(eq(priceLines.bookingId, booking.id));
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(r.total.amount);
    expect(lines.map((l) => l.description)).toContain("Booking service fee");

    st.s.emulator.pay(payment.checkoutSessionId!);
    await waitForStatus(st, booking.id, "CONFIRMED");
    expect((await atOperator(st, agentReference))?.status).toBe("CONFIRMED");
    const view = await getBookingView(st.s.t.db, booking.id);
    expect(view.legs[0]!.operatorReference).toBe(held!.operatorReference);
    expect(await emailsOf(st, booking.id, "booking_confirmed")).toHaveLength(1);
    // The confirmation email, as Resend received it, carries the operator's reference.
    const mail = await waitFor(
      async () => st.s.resend.emails().find((e) => e.subject.startsWith(`Booking confirmed: ${r.reference}`)),
      (e) => e !== undefined,
      20_000,
      "the confirmation email at Resend",
    );
    expect(mail!.text).toContain(held!.operatorReference);
    expect(mail!.html).toContain(held!.operatorReference);
    const after = await bookingOf(st, r.reference);
    expect(after.legs[0]!.operatorStatus).toBe("confirmed");
  });

  it("an operator refusing the hold (sold out) leaves nothing held anywhere", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 11);
    await control(st, "sold-out", { sailingId: sailing.ref });
    const before = await st.s.t.db.$count(bookings);
    await expect(createBooking(st.svc, connectedInput(sailing.id))).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "SOLD_OUT" },
    });
    expect(await st.s.t.db.$count(bookings)).toBe(before);
    expect(await atOperatorOn(sailing.ref)).toHaveLength(0);
  });

  it("a hold that times out tells the traveller to try again, and the job later recalls and cancels it", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 12);
    // Book requests get no answer for 2 s (past our 600 ms timeout), then the operator processes them.
    await control(st, "hang", { seconds: 2, operation: "book" });
    const input = connectedInput(sailing.id);
    const before = await st.s.t.db.$count(bookings);
    const err = await createBooking(st.svc, input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "SERVICE_UNAVAILABLE", details: { reason: "OPERATOR_UNAVAILABLE" } });
    expect((err as Error).message).toMatch(/try again/i);
    expect(await st.s.t.db.$count(bookings)).toBe(before);
    // The late Book lands at the operator; the release job finds it by our reference and cancels it.
    const landed = await waitFor(
      async () => (await atOperatorOn(sailing.ref))[0],
      (b) => b?.status === "CANCELLED",
      30_000,
      "the timed-out hold to be cancelled at the operator",
    );
    expect(landed!.agentReference).toMatch(/^TRV-.*-OUT$/);
  }, 40_000);

  it("a mixed trip whose own leg cannot be held releases the connected leg", async () => {
    const out = await operatorSailing(st, "TUN", "PMO", 13);
    const retId = await ownReturnSailing(st, out.offer.arrivalAt);
    // No deck place left on the own return: the own hold fails after the operator held the outbound.
    await leaveOnly(st.s.t, retId, "DECK", 0);
    const deckBefore = await inventoryOf(st.s.t, retId, "DECK");
    const before = await st.s.t.db.$count(bookings);
    await expect(
      createBooking(st.svc, connectedInput(out.id, { return: { sailingId: retId, accommodation: "DECK" } })),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { reason: "SOLD_OUT" } });
    expect(await st.s.t.db.$count(bookings)).toBe(before);
    expect(await inventoryOf(st.s.t, retId, "DECK")).toEqual(deckBefore);
    const [mine] = await atOperatorOn(out.ref);
    expect(mine).toBeDefined();
    await waitAtOperator(mine!.agentReference, "CANCELLED");
  }, 40_000);

  it("a mixed trip books both legs: own places held, operator held, one total", async () => {
    const out = await operatorSailing(st, "TUN", "PMO", 14);
    const retId = await ownReturnSailing(st, out.offer.arrivalAt);
    const deckBefore = await inventoryOf(st.s.t, retId, "DECK");
    const { r, booking } = await bookAndPay(
      st,
      connectedInput(out.id, { return: { sailingId: retId, accommodation: "DECK" } }),
    );
    await waitForStatus(st, booking.id, "CONFIRMED");
    const deckAfter = await inventoryOf(st.s.t, retId, "DECK");
    expect(deckAfter.sold).toBe(deckBefore.sold + 1);
    expect((await atOperator(st, `${r.reference}-OUT`))?.status).toBe("CONFIRMED");
    const view = await getBookingView(st.s.t.db, booking.id);
    expect(view.legs.map((l) => l.operatorReference === null)).toEqual([false, true]);
  }, 40_000);

  it("an operator's provisional booking that lapses first ends our hold 2 minutes before it", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 17);
    // Our clock 20 minutes ahead: our 30-minute hold would outlast the operator's 45 minutes.
    const r = await createBooking(
      svcAt(st.svc, new Date(Date.now() + 20 * 60_000)),
      connectedInput(sailing.id),
    );
    const held = (await atOperator(st, `${r.reference}-OUT`)) as unknown as { expiresAt: string };
    expect(r.holdExpiresAt.getTime()).toBe(Date.parse(held.expiresAt) - 2 * 60_000);
    const { booking } = await bookingOf(st, r.reference);
    expect(booking.holdExpiresAt.getTime()).toBe(r.holdExpiresAt.getTime());
  });

  it("a connected sailing whose sales have closed by our clock is refused, and its hold let go", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 18);
    // The operator still sells it; by our clock it leaves in 30 minutes, inside the hour sales close.
    const late = svcAt(st.svc, new Date(sailing.offer.departureAt.getTime() - 30 * 60_000));
    const before = await st.s.t.db.$count(bookings);
    await expect(createBooking(late, connectedInput(sailing.id))).rejects.toMatchObject({
      message: "The outbound sailing has departed or closes for sale within the hour. Choose a later one.",
      details: { reason: "SALES_CLOSED", field: "outbound" },
    });
    expect(await st.s.t.db.$count(bookings)).toBe(before);
    const [mine] = await atOperatorOn(sailing.ref);
    expect(mine).toBeDefined();
    await waitAtOperator(mine!.agentReference, "CANCELLED");
  }, 40_000);

  it("a hold that ends unpaid lets go of the operator's provisional booking", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 15);
    const r = await createBooking(st.svc, connectedInput(sailing.id));
    const { booking } = await bookingOf(st, r.reference);
    const later = new Date(booking.holdExpiresAt.getTime() + 1_000);
    expect(await expireHold(svcAt(st.svc, later), booking.id)).toBe(true);
    const { legs } = await bookingOf(st, r.reference);
    expect(legs[0]!.operatorStatus).toBe("released");
    await waitAtOperator(`${r.reference}-OUT`, "CANCELLED");
  }, 40_000);

  it("the release job never lets go of an operator booking a live booking owns", async () => {
    const sailing = await operatorSailing(st, "TUN", "PMO", 16);
    const r = await createBooking(st.svc, connectedInput(sailing.id));
    const job = { operator: "GNV", agentReference: `${r.reference}-OUT` };
    expect(await releaseOperatorHold(st.svc, job, false)).toBe("OWNED");
    expect((await atOperator(st, job.agentReference))?.status).toBe("PROVISIONAL");
    // Once the booking no longer owns it (cancelled unpaid), the same job cancels it.
    const { booking } = await bookingOf(st, r.reference);
    await cancelBooking(st.svc, booking.id);
    expect(await releaseOperatorHold(st.svc, job, false)).toMatch(/^(CANCELLED|ALREADY_ENDED)$/);
    await waitAtOperator(job.agentReference, "CANCELLED");
  }, 40_000);
});
