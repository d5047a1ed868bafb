import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookingHolds } from "@/server/db/schema/bookings";
import { takeHolds } from "@/server/features/booking/inventory";
import { bookingStackForFile, holdBooking, inventoryOf, nextSailing } from "../helpers/booking-stack";
import { holdRowLocks, waitForLockWait } from "../helpers/pause";

/**
 * `takeHolds` locks inventory rows in one global order (sailing id, then resource) whatever order the
 * needs come in, so two bookings sharing rows wait for each other instead of deadlocking. Forced here:
 * another transaction holds the later row, and while `takeHolds` waits for it, the earlier row must
 * already be locked. A need of zero places is skipped.
 */
const s = bookingStackForFile({ days: 10 });
class Rollback extends Error {}

describe("takeHolds", () => {
  it("locks the earlier sailing's row first, whatever order the needs come in", async () => {
    const first = await nextSailing(s.t, "TUN", "TPS", 3);
    const second = await nextSailing(s.t, "TUN", "TPS", 4);
    const [lo, hi] = first.id < second.id ? [first.id, second.id] : [second.id, first.id];
    const elsewhere = await nextSailing(s.t, "TUN", "TPS", 6);
    const { booking } = await holdBooking(s, elsewhere.id, 1, "order@example.com");
    const row = (id: number) => s.t.sql`
      select 1 from inventory where sailing_id = ${id} and resource = 'DECK' for update nowait`;

    const other = await holdRowLocks(
      s.t,
      (tx) => tx`select 1 from inventory where sailing_id = ${hi} and resource = 'DECK' for update`,
    );
    const taking = s.t.db
      .transaction(async (tx) => {
        await takeHolds(tx, booking.id, [
          { sailingId: hi, resource: "DECK", quantity: 1 },
          { sailingId: lo, resource: "DECK", quantity: 1 },
        ]);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    try {
      await waitForLockWait(s.t, "takeHolds to wait for the row the other transaction holds", {
        query: "update",
      });
      // It waits on the later row: the earlier one is already its.
      await expect(row(lo)).rejects.toMatchObject({ code: "55P03" });
    } finally {
      await other.release();
      await taking;
    }
    await expect(row(lo)).resolves.toHaveLength(1);
  });

  it("skips a need of zero places: no hold row, nothing taken", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const { booking } = await holdBooking(s, sailing.id, 2, "zero@example.com");
    const before = await inventoryOf(s.t, sailing.id, "SEAT");
    await s.t.db.transaction((tx) =>
      takeHolds(tx, booking.id, [{ sailingId: sailing.id, resource: "SEAT", quantity: 0 }]),
    );
    expect(await inventoryOf(s.t, sailing.id, "SEAT")).toEqual(before);
    expect(
      await s.t.db
        .select()
        .from(bookingHolds)
        .where(and(eq(bookingHolds.bookingId, booking.id), eq(bookingHolds.resource, "SEAT"))),
    ).toEqual([]);
  });
});
