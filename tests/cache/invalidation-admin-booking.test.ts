import { afterEach, describe, expect, it } from "vitest";
import { adminCaller } from "../admin/admin-helpers";
import { nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { installGate } from "../helpers/pause";
import { type CacheWorld, hold, openCacheWorld, pay } from "./cache-world";
import { CAPACITY_BUMP, expectAllReloaded, type Read, searchProbe, warmAndProveHit } from "./search-probe";

/**
 * An admin cancelling (and refunding) a booking. While the admin's transaction is still open, any
 * invalidation of that sailing (another booking on it, another process) lets a search reload the OLD
 * numbers and cache them under the new versions; only the invalidation after the commit
 * (cancelBookingAsAdmin) makes the cache fresh again. The test forces exactly that interleaving: a gate
 * stops the admin's transaction at its audit row, after the places were released and before the commit,
 * and a search runs right then.
 */
let w: CacheWorld;
const s = bookingStackForFile({ days: 14 });
afterEach(async () => {
  await w?.writer.flushStats();
  await w?.close();
});

describe("admin booking changes invalidate the search cache", () => {
  it("admin cancel with refund: fresh after the commit even when a search ran inside the transaction", async () => {
    w = await openCacheWorld(s);
    const { caller: api } = await adminCaller(w.svc, "cache-admin");
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const booked = await hold(s, w.svc, sailing.id);
    await pay(s, w.svc, booked.id);
    const probe = await searchProbe(s.svc, w.reader, sailing.id);
    const warm = await warmAndProveHit(s.t.db, probe);

    const gate = await installGate(s.t, {
      table: "audit_log",
      event: "INSERT",
      when: `NEW.action = 'bookings.cancel'`,
    });
    let inside: Read | undefined;
    try {
      await gate.close();
      const cancelling = api.admin.bookings.cancel({ reference: booked.reference });
      cancelling.catch(() => {});
      await gate.waitUntilHeld();
      // Someone invalidates the sailing while the cancellation is uncommitted; a search follows at once.
      await w.writer.invalidateSailingAvailability([sailing.id]);
      await w.writer.invalidateRoute(probe.from, probe.to);
      inside = await probe.read();
      await gate.open();
      const r = await cancelling;
      expect(r.status).toBe("CANCELLED");
      expect(r.refund.amount).toBeGreaterThan(0);
    } finally {
      await gate.remove();
    }

    // The interleaving happened: a search inside the transaction reloaded, and could not see the release.
    expect(inside, "the search ran inside the admin's transaction").toBeDefined();
    expect(inside!.availabilityLoaded).toBe(true);
    expect(inside!.remaining).toBe(warm.remaining! + CAPACITY_BUMP);

    await expectAllReloaded(probe, warm, 1);
  });
});
