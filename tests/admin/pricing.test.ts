import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { bookings, priceLines } from "@/server/db/schema/bookings";
import { routes } from "@/server/db/schema/network";
import { createBooking } from "@/server/features/booking/create";
import { searchSailingsInput } from "@/server/features/search/input";
import { searchSailings } from "@/server/features/search/sailings";
import { localDate } from "@/shared/dates";
import { bookingInput, bookingStackForFile, nextSailing } from "../helpers/booking-stack";
import { withLoads } from "../helpers/services";
import { adminCaller } from "./admin-helpers";

let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
let routeId: number;
const s = bookingStackForFile({ days: 14 }, async () => {
  ({ caller: api } = await adminCaller(s.svc));
  const [r] = await s.t.db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "TPS")));
  routeId = r!.id;
});

/** What a traveller sees for one adult on deck on that sailing, through the cached search. */
async function deckPrice(sailing: { id: number; departureAt: Date }, loads: string[] = []) {
  const input = searchSailingsInput.parse({
    from: "TUN",
    to: "TPS",
    date: localDate(sailing.departureAt, "Africa/Tunis"),
    passengers: { adults: 1 },
  });
  const { result: res, loads: seen } = await withLoads(s.svc.cache, () => searchSailings(s.svc, input));
  loads.push(...seen.map((l) => l.split(":")[0] as string));
  const found = res.sailings.find((x) => x.id === sailing.id);
  return found?.options.find((o) => o.accommodation === "DECK")?.total.amount;
}

describe("prices", () => {
  it("a raised route fare shows in the very next search, and existing bookings keep their price", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const booked = await createBooking(s.svc, bookingInput(sailing.id));
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, booked.reference));
    const linesBefore = await s.t.db.select().from(priceLines).where(eq(priceLines.bookingId, b!.id));

    const before = await deckPrice(sailing);
    expect(before).toBeGreaterThan(0);
    // Twice: the second answer comes from the cache (no load at all), which is what must not go stale.
    const loads: string[] = [];
    expect(await deckPrice(sailing, loads)).toBe(before);
    expect(loads).toEqual([]);

    const fare = await api.admin.pricing.setFare({
      routeId,
      kind: "PASSENGER",
      accommodation: "DECK",
      passengerType: "adult",
      amount: before! + 1_000,
    });
    expect(fare).toMatchObject({ sailingId: null, amount: before! + 1_000, currency: "EUR" });
    expect(await deckPrice(sailing)).toBe(before! + 1_000);

    const [after] = await s.t.db.select().from(bookings).where(eq(bookings.id, b!.id));
    expect(after!.totalAmount).toBe(b!.totalAmount);
    expect(await s.t.db.select().from(priceLines).where(eq(priceLines.bookingId, b!.id))).toEqual(
      linesBefore,
    );

    const [audit] = await s.t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "pricing.setFare"), eq(auditLog.entityId, String(fare.id))));
    expect(audit).toMatchObject({ before: { amount: before }, after: { amount: before! + 1_000 } });
  });

  it("a per-sailing override applies to that sailing only, and removing it restores the route fare", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const routePrice = await deckPrice(sailing);
    const override = await api.admin.pricing.setFare({
      routeId,
      sailingId: sailing.id,
      kind: "PASSENGER",
      accommodation: "DECK",
      passengerType: "adult",
      amount: 1_234,
    });
    expect(await deckPrice(sailing)).toBe(1_234);
    const table = await api.admin.pricing.routeFares({ routeId });
    expect(table.overrides.map((o) => o.id)).toContain(override.id);
    expect(table.defaults.length).toBeGreaterThan(10);

    // Setting the same item again updates it in place rather than adding a row.
    const again = await api.admin.pricing.setFare({
      routeId,
      sailingId: sailing.id,
      kind: "PASSENGER",
      accommodation: "DECK",
      passengerType: "adult",
      amount: 1_500,
    });
    expect(again.id).toBe(override.id);
    expect(await deckPrice(sailing)).toBe(1_500);

    await api.admin.pricing.removeOverride({ fareId: override.id });
    expect(await deckPrice(sailing)).toBe(routePrice);
    // Route defaults cannot be "removed" (a sailing would have no price).
    const def = table.defaults.find((d) => d.kind === "PET")!;
    await expect(api.admin.pricing.removeOverride({ fareId: def.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("validates prices: negative, fractional, wrong currency, wrong route, missing fields", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 3);
    const base = {
      routeId,
      kind: "PASSENGER" as const,
      accommodation: "DECK" as const,
      passengerType: "adult" as const,
    };
    await expect(api.admin.pricing.setFare({ ...base, amount: -5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.admin.pricing.setFare({ ...base, amount: 10.5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.admin.pricing.setFare({ ...base, amount: 100, currency: "USD" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("EUR"),
    });
    await expect(
      api.admin.pricing.setFare({ ...base, amount: 100, sailingId: sailing.id }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("not on this route"),
    });
    await expect(
      // @ts-expect-error a vehicle fare needs its vehicle type
      api.admin.pricing.setFare({ routeId, kind: "VEHICLE", amount: 100 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
