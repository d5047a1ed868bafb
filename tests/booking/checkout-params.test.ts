import { describe, expect, it } from "vitest";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { sessionParams } from "@/server/features/payments/checkout";
import { adult, bookingInput, nextSailing } from "../helpers/booking-stack";
import { firstRoundTrip } from "../helpers/sailings";
import {
  bookingOf,
  connectedInput,
  operatorSailing,
  operatorStackForFile,
  ownReturnSailing,
} from "./operator-stack";

/**
 * `createBooking` builds its Checkout session's parameters from what it has just inserted; a retry
 * (`booking.pay` after a lost answer, `ensureCheckoutSession`) builds them from the stored rows
 * (`sessionParams`). Both go to Stripe under the key `checkout:<payment id>`, and Stripe (its emulator
 * here, which fingerprints the parameters as Stripe does) replays the session only when the bodies are
 * the same: otherwise the retry fails with an idempotency error and the traveller cannot pay. Each
 * booking shape below replays the stored rows' parameters under the create's key and must get the very
 * session back; a one-field change must be refused, which shows the comparison can fail.
 */
const st = operatorStackForFile();

async function replays(input: CreateBookingInput) {
  const r = await createBooking(st.svc, input);
  expect(r.checkoutUrl).toBeTruthy();
  const { booking, payment } = await bookingOf(st, r.reference);
  expect(payment.checkoutSessionId).toBeTruthy();
  const fromRows = await sessionParams(st.s.t.db, booking, payment);
  const key = { idempotencyKey: `checkout:${payment.id}` };

  const replayed = await st.s.stripe.checkout.sessions.create(fromRows, key);
  expect(replayed.id).toBe(payment.checkoutSessionId);
  expect(replayed.url).toBe(r.checkoutUrl);

  const lines = fromRows.line_items!;
  const changed = {
    ...fromRows,
    line_items: [{ ...lines[0]!, quantity: lines[0]!.quantity! + 1 }, ...lines.slice(1)],
  };
  await expect(st.s.stripe.checkout.sessions.create(changed, key)).rejects.toMatchObject({
    type: "StripeIdempotencyError",
  });
  return { fromRows, booking };
}

const child = (type: "child" | "infant", dateOfBirth: string) => ({
  type,
  firstName: "Sami",
  lastName: "Ben Salah",
  dateOfBirth,
  nationality: "TN",
  documentNumber: type === "child" ? "C1" : "I1",
});

describe("a retry's Checkout parameters equal the create's", () => {
  it("one way, one adult on deck", async () => {
    const sailing = await nextSailing(st.s.t, "TUN", "MRS", 4);
    const { fromRows } = await replays(
      bookingInput(sailing.id, { contact: { email: "params-one@example.com" } }),
    );
    expect(fromRows.line_items).toHaveLength(1);
  });

  it("a family's return trip in a cabin with a vehicle and pets, in a non-English language", async () => {
    const { out, back } = await firstRoundTrip(st.s.t.sql, "TUN", "TPS", 5);
    const { fromRows } = await replays(
      bookingInput(out, {
        outbound: { sailingId: out, accommodation: "CABIN_OUTSIDE" },
        return: { sailingId: back, accommodation: "DECK" },
        passengers: [adult(1), adult(2), child("child", "2019-05-01"), child("infant", "2025-09-01")],
        vehicle: { type: "high_car", registration: "TN-7001", heightCm: 220, lengthCm: 480 },
        pets: 2,
        contact: { email: "params-family@example.com", phone: "+216 20 123 456" },
        locale: "fr",
      }),
    );
    // Lines of both legs, each named after its own leg.
    const names = fromRows.line_items!.map((l) => l.price_data!.product_data!.name);
    expect(names.some((n) => n.includes("TUN→TPS"))).toBe(true);
    expect(names.some((n) => n.includes("TPS→TUN"))).toBe(true);
    expect(fromRows.line_items!.length).toBeGreaterThanOrEqual(6);
    expect(fromRows.success_url).toContain("/fr/checkout/success");
  });

  it("a connected operator's outbound with an own return", async () => {
    const out = await operatorSailing(st, "TUN", "PMO", 12);
    const retId = await ownReturnSailing(st, out.offer.arrivalAt);
    const { fromRows } = await replays(
      connectedInput(out.id, { return: { sailingId: retId, accommodation: "DECK" } }),
    );
    const names = fromRows.line_items!.map((l) => l.price_data!.product_data!.name);
    expect(names.some((n) => n.includes("TUN→PMO"))).toBe(true);
    expect(names.some((n) => n.includes("PMO→TUN"))).toBe(true);
  });
});
