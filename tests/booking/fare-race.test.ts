import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, priceLines } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { setFare } from "@/server/features/pricing/admin-fares";
import { loadSailingFares } from "@/server/features/pricing/fares";
import { actorOf, makeAdmin } from "../admin/admin-helpers";
import { adult, bookingInput, nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { installGate, waitForLockWait } from "../helpers/pause";

const s = bookingStackForFile();

/** An adult and a child on deck: two price lines from two different fares. */
function family(sailingId: number, departureAt: Date, email: string): CreateBookingInput {
  const born = `${departureAt.getUTCFullYear() - 8}-03-15`;
  return bookingInput(sailingId, {
    passengers: [
      adult(1),
      {
        type: "child",
        firstName: "Yasmine",
        lastName: "Ben Salah",
        dateOfBirth: born,
        nationality: "TN",
        documentNumber: "C200001",
      },
    ],
    contact: { email },
  });
}

async function routeOf(sailingId: number): Promise<number> {
  const [row] = await s.t.db
    .select({ routeId: sailings.routeId })
    .from(sailings)
    .where(eq(sailings.id, sailingId));
  return row!.routeId;
}

async function deckFares(sailingId: number) {
  const f = (await loadSailingFares(s.t.db, [sailingId])).get(sailingId)!;
  return { adult: f.passenger.DECK!.adult!, child: f.passenger.DECK!.child! };
}

async function linesOf(reference: string) {
  const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, reference));
  const lines = await s.t.db.select().from(priceLines).where(eq(priceLines.bookingId, b!.id));
  return { booking: b!, lines };
}

/** The booking's lines are exactly the adult and child deck fares of one version, and the total is their sum. */
function expectPricedWith(
  got: Awaited<ReturnType<typeof linesOf>>,
  version: { adult: number; child: number },
) {
  const unit = (prefix: string) => got.lines.find((l) => l.description.startsWith(prefix))!.unitAmount;
  expect({ adult: unit("Adult"), child: unit("Child") }).toEqual(version);
  expect(got.lines).toHaveLength(2);
  expect(got.booking.totalAmount).toBe(got.lines.reduce((a, l) => a + l.amount, 0));
  expect(got.booking.totalAmount).toBe(version.adult + version.child);
}

describe("a booking racing a fare edit gets one consistent price", () => {
  it("edit first: the booking waits for the edit to commit and is priced entirely with the new fares", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const routeId = await routeOf(sailing.id);
    const old = await deckFares(sailing.id);
    // An admin edit changing the adult and the child fare in one transaction, the way `setFare` starts it.
    const admin = await s.t.sql.reserve();
    try {
      await admin`begin`;
      await admin`select id from routes where id = ${routeId} for update`;
      await admin`update fares set amount = amount + 1000
        where route_id = ${routeId} and accommodation = 'DECK' and passenger_type = 'adult'`;
      await admin`update fares set amount = amount + 700
        where route_id = ${routeId} and accommodation = 'DECK' and passenger_type = 'child'`;
      const booking = createBooking(s.svc, family(sailing.id, sailing.departureAt, "fare-a@example.com"));
      // The booking must wait on the route's lock rather than price itself from the fares of before.
      await waitForLockWait(s.t, "the booking to wait for the route row", { query: "for share" });
      await admin`commit`;
      const r = await booking;
      expectPricedWith(await linesOf(r.reference), { adult: old.adult + 1000, child: old.child + 700 });
    } finally {
      // Harmless after the commit; after a failure it frees the route for the next test.
      await admin`rollback`;
      admin.release();
    }
  });

  it("booking first: `setFare` waits for the booking, which keeps the fares it read", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 6);
    const routeId = await routeOf(sailing.id);
    const old = await deckFares(sailing.id);
    const actor = await makeAdmin(s.svc, "fares");
    // Stop the booking after it has read the fares, at the insert of its booking row.
    const gate = await installGate(s.t, {
      table: "bookings",
      event: "INSERT",
      when: `NEW.contact_email = 'fare-b@example.com'`,
    });
    try {
      await gate.close();
      const booking = createBooking(s.svc, family(sailing.id, sailing.departureAt, "fare-b@example.com"));
      await gate.waitUntilHeld();
      const edit = setFare(s.svc, actorOf(actor), {
        kind: "PASSENGER",
        routeId,
        accommodation: "DECK",
        passengerType: "adult",
        amount: old.adult + 2000,
      });
      await waitForLockWait(s.t, "the fare edit to wait for the route row", { query: "for update" });
      await gate.open();
      const r = await booking;
      await edit;
      expectPricedWith(await linesOf(r.reference), old);
    } finally {
      await gate.remove();
    }
    // The edit did land, for the next booking.
    expect(await deckFares(sailing.id)).toEqual({ adult: old.adult + 2000, child: old.child });
    const next = await createBooking(s.svc, family(sailing.id, sailing.departureAt, "fare-c@example.com"));
    expectPricedWith(await linesOf(next.reference), { adult: old.adult + 2000, child: old.child });
  });
});
