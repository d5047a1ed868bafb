import { afterEach, describe, expect, it } from "vitest";
import { expireHold } from "@/server/features/booking/lifecycle";
import { cancelForTraveller } from "@/server/features/booking/manage";
import { nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { svcAt } from "../helpers/services";
import { type CacheWorld, hold, openCacheWorld, pay } from "./cache-world";
import {
  expectAllReloaded,
  expectOnlyAvailabilityReloaded,
  searchProbe,
  warmAndProveHit,
} from "./search-probe";

/**
 * The traveller's side of the cache rules: a hold or an expiry changes capacity (availability key
 * deleted, the schedule stays cached); a confirmation or a cancellation also bumps the route version.
 * Each test warms the cache, proves a hit, runs the trigger through another cache instance, and proves
 * the next search is fresh (see search-probe.ts). Each fails if its invalidation call is removed.
 */
let w: CacheWorld;
const s = bookingStackForFile({ days: 14 });
afterEach(() => w?.close());

/** Opens the cache world, holds a booking on TUN → TPS `daysAhead` days out (paid if asked), warms a probe. */
async function heldAndWarm(daysAhead: number, paid = false) {
  w = await openCacheWorld(s);
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  const held = await hold(s, w.svc, sailing.id);
  if (paid) await pay(s, w.svc, held.id);
  const probe = await searchProbe(s.svc, w.reader, sailing.id);
  const warm = await warmAndProveHit(s.t.db, probe);
  return { held, probe, warm };
}

describe("booking lifecycle invalidates the search cache", () => {
  it("hold (booking.create): availability fresh at once, schedule still cached", async () => {
    w = await openCacheWorld(s);
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const probe = await searchProbe(s.svc, w.reader, sailing.id);
    const warm = await warmAndProveHit(s.t.db, probe);

    await hold(s, w.svc, sailing.id);

    // A hold does not bump the route version: the schedule (and its prices) stay a hit.
    await expectOnlyAvailabilityReloaded(probe, warm, -1);
  });

  it("confirm (payment applied): availability reloaded and the route version bumped", async () => {
    const { held, probe, warm } = await heldAndWarm(4);

    expect(await pay(s, w.svc, held.id)).toBe("CONFIRMED");

    // held → sold leaves the count as it was: only the capacity changed behind the cache shows it reloaded.
    await expectAllReloaded(probe, warm, 0);
  });

  it("expiry: availability fresh at once, schedule still cached", async () => {
    const { held, probe, warm } = await heldAndWarm(5);

    const later = svcAt(w.svc, () => new Date(Date.now() + 31 * 60_000));
    expect(await expireHold(later, held.id)).toBe(true);

    await expectOnlyAvailabilityReloaded(probe, warm, 1);
  });

  it("late confirmation (paid after the hold expired): places taken again at once, route version bumped", async () => {
    w = await openCacheWorld(s);
    const sailing = await nextSailing(s.t, "TUN", "TPS", 8);
    const held = await hold(s, w.svc, sailing.id);
    const expired = svcAt(w.svc, () => new Date(Date.now() + 31 * 60_000));
    expect(await expireHold(expired, held.id)).toBe(true);
    const probe = await searchProbe(s.svc, w.reader, sailing.id);
    const warm = await warmAndProveHit(s.t.db, probe);

    expect(await pay(s, w.svc, held.id)).toBe("LATE_CONFIRMED");

    await expectAllReloaded(probe, warm, -1);
  });

  it("traveller cancel: places back at once and the route version bumped", async () => {
    const { held, probe, warm } = await heldAndWarm(6, true);

    const r = await cancelForTraveller(
      w.svc,
      { reference: held.reference, email: held.email },
      { ip: "198.51.100.21" },
    );
    expect(r.status).toBe("CANCELLED");

    await expectAllReloaded(probe, warm, 1);
  });
});
