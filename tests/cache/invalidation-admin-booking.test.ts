import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Cache } from "@/server/features/cache/cache";
import { adminCaller } from "../admin/admin-helpers";
import { type BookingStack, createBookingStack, nextSailing } from "../helpers/booking-stack";
import { type CacheWorld, hold, openCacheWorld, pay } from "./cache-world";
import { CAPACITY_BUMP, PRICE_BUMP, type Read, searchProbe, warmAndProveHit } from "./search-probe";

/**
 * An admin cancelling (and refunding) a booking. `cancelBooking` invalidates inside the admin's still
 * open transaction, so a search landing right then reloads the OLD numbers and caches them under the new
 * versions; only the invalidation after the commit (cancelBookingAsAdmin) makes the cache fresh again.
 * The test forces exactly that interleaving with a hook in the writer's cache.
 */
class HookedCache extends Cache {
  /** Runs once, right after the next route invalidation. */
  afterNextRouteInvalidation: (() => Promise<void>) | null = null;

  override async invalidateRoute(from: string, to: string): Promise<void> {
    await super.invalidateRoute(from, to);
    const hook = this.afterNextRouteInvalidation;
    this.afterNextRouteInvalidation = null;
    await hook?.();
  }
}

let s: BookingStack;
let w: CacheWorld;
let hooked: HookedCache;
beforeAll(async () => {
  s = await createBookingStack({ days: 14 });
});
afterAll(() => s.close());
afterEach(async () => {
  await hooked?.flushStats();
  await w?.close();
});

describe("admin booking changes invalidate the search cache", () => {
  it("admin cancel with refund: fresh after the commit even when a search ran inside the transaction", async () => {
    w = await openCacheWorld(s, (tc) => {
      hooked = new HookedCache(tc.connect());
      return hooked;
    });
    const { caller: api } = await adminCaller(w.svc, "cache-admin");
    const sailing = await nextSailing(s.t, "TUN", "PMO", 3);
    const booked = await hold(s, w.svc, sailing.id);
    await pay(s, w.svc, booked.id);
    const probe = await searchProbe(s.svc, w.reader, sailing.id);
    const warm = await warmAndProveHit(s.t.db, probe);

    let inside: Read | undefined;
    hooked.afterNextRouteInvalidation = async () => {
      inside = await probe.read();
    };
    const r = await api.admin.bookings.cancel({ reference: booked.reference });
    expect(r.status).toBe("CANCELLED");
    expect(r.refund.amount).toBeGreaterThan(0);

    // The interleaving happened: a search inside the transaction reloaded, and could not see the release.
    expect(inside, "the hook ran inside the admin's transaction").toBeDefined();
    expect(inside!.availabilityLoaded).toBe(true);
    expect(inside!.remaining).toBe(warm.remaining! + CAPACITY_BUMP);

    const after = await probe.read();
    expect(after.remaining).toBe(warm.remaining! + CAPACITY_BUMP + 1);
    expect(after.availabilityLoaded).toBe(true);
    expect(after.price).toBe(warm.price! + PRICE_BUMP);
    expect(after.scheduleLoaded).toBe(true);
    expect(after).toMatchObject(await probe.truth());
  });
});
