import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { fares } from "@/server/db/schema/fares";
import { operators, routes, vessels } from "@/server/db/schema/network";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import type { Services } from "@/server/services";
import { addDays } from "@/shared/dates";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import { adminCaller } from "./admin-helpers";

// The schedule and price editors apply to own operators only: every change to a connected operator's
// route or sailing is refused with a sentence saying why, and nothing changes. The test writes a GNV fare
// and sailing of its own (the seed gives connected operators none): exactly what an admin could otherwise edit.

const TODAY = "2026-12-01";
let t: TestDb;
let svc: Services;
let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
let gnvRoute: number;
let ctnRoute: number;
let gnvSailing: number;
let gnvVessel: number;
let gnvOverride: number;

async function routeId(to: string, operator: string) {
  const [r] = await t.db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, to), eq(routes.operatorCode, operator)));
  return r!.id;
}

/** Everything the refused calls could have touched. */
async function snapshot() {
  const [f, s, i, a] = await Promise.all([
    t.db.select().from(fares).orderBy(fares.id),
    t.db.select().from(sailings).orderBy(sailings.id),
    t.db.select().from(inventory).orderBy(inventory.sailingId, inventory.resource),
    t.db.select({ n: count() }).from(auditLog),
  ]);
  return { f, s, i, audits: a[0]!.n };
}

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  // GNV and GRM connected (their reservation systems are never called here).
  await seedDatabase(t.db, {
    today: TODAY,
    days: 14,
    devAdmin: null,
    operatorUrl: (code) => `https://${code.toLowerCase()}.operators.example`,
  });
  svc = testServices({ db: t.db, clock: { now: () => new Date(`${TODAY}T08:00:00Z`) } });
  ({ caller: api } = await adminCaller(svc));
  gnvRoute = await routeId("PMO", "GNV");
  ctnRoute = await routeId("MRS", "CTN");
  const [v] = await t.db.select({ id: vessels.id }).from(vessels).where(eq(vessels.name, "Excellent"));
  gnvVessel = v!.id;
  // The seed gives connected operators no fares or sailings; write the rows an admin could otherwise edit
  // (what an older seed left behind) straight into the tables.
  await t.db.insert(fares).values({
    routeId: gnvRoute,
    kind: "PASSENGER",
    accommodation: "DECK",
    passengerType: "adult",
    amount: 8_900,
    currency: "EUR",
  });
  const [s] = await t.db
    .insert(sailings)
    .values({
      routeId: gnvRoute,
      vesselId: gnvVessel,
      departureAt: new Date(`${addDays(TODAY, 3)}T20:00:00Z`),
      arrivalAt: new Date(`${addDays(TODAY, 4)}T06:00:00Z`),
    })
    .returning({ id: sailings.id });
  gnvSailing = s!.id;
  const [o] = await t.db
    .insert(fares)
    .values({ routeId: gnvRoute, sailingId: gnvSailing, kind: "PET", amount: 1_000, currency: "EUR" })
    .returning({ id: fares.id });
  gnvOverride = o!.id;
});
afterAll(() => t.destroy());

describe("a connected operator's routes and sailings", () => {
  it("the seed made GNV connected, with own-inventory rows an admin could otherwise edit", async () => {
    const [gnv] = await t.db.select().from(operators).where(eq(operators.code, "GNV"));
    expect(gnv!.kind).toBe("connected");
    const [n] = await t.db.select({ n: count() }).from(fares).where(eq(fares.routeId, gnvRoute));
    expect(n!.n).toBeGreaterThan(0);
  });

  const calls: [string, () => Promise<unknown>][] = [
    [
      "pricing.setFare",
      () =>
        api.admin.pricing.setFare({
          routeId: gnvRoute,
          kind: "PASSENGER",
          accommodation: "DECK",
          passengerType: "adult",
          amount: 1,
        }),
    ],
    ["pricing.removeOverride", () => api.admin.pricing.removeOverride({ fareId: gnvOverride })],
    [
      "schedule.generateTimetable",
      () =>
        api.admin.schedule.generateTimetable({
          routeId: gnvRoute,
          vesselId: gnvVessel,
          weekdays: [1, 2, 3],
          departureTime: "06:15",
          fromDate: addDays(TODAY, 30),
          toDate: addDays(TODAY, 40),
        }),
    ],
    [
      "schedule.create",
      () =>
        api.admin.schedule.create({
          routeId: gnvRoute,
          vesselId: gnvVessel,
          departureDate: addDays(TODAY, 5),
          departureTime: "06:15",
        }),
    ],
    [
      "schedule.update",
      () => api.admin.schedule.update({ sailingId: gnvSailing, durationMinutes: 700, notify: false }),
    ],
    [
      "schedule.setCapacity",
      () =>
        api.admin.schedule.setCapacity({
          sailingId: gnvSailing,
          capacities: [{ resource: "DECK", capacity: 1 }],
        }),
    ],
    ["schedule.cancelSailing", () => api.admin.schedule.cancelSailing({ sailingId: gnvSailing })],
  ];

  it.each(calls)(
    "%s is refused, saying the editors apply to own operators, and changes nothing",
    async (_n, call) => {
      const before = await snapshot();
      const err = await call().then(
        () => null,
        (e: { code: string; message: string; cause?: { details?: { reason?: string } } }) => e,
      );
      expect(err).toMatchObject({ code: "BAD_REQUEST" });
      expect(err!.message).toContain("Grandi Navi Veloci (GNV) is a connected operator");
      expect(err!.message).toContain("apply to own operators only");
      expect(err!.cause?.details?.reason).toBe("CONNECTED_OPERATOR");
      expect(await snapshot()).toEqual(before);
    },
  );

  it("own operators' routes are edited as before", async () => {
    const fare = await api.admin.pricing.setFare({
      routeId: ctnRoute,
      kind: "PASSENGER",
      accommodation: "DECK",
      passengerType: "adult",
      amount: 12_300,
    });
    expect(fare).toMatchObject({ routeId: ctnRoute, amount: 12_300, sailingId: null });
    const [row] = await t.db
      .select({ amount: fares.amount })
      .from(fares)
      .where(
        and(
          eq(fares.routeId, ctnRoute),
          isNull(fares.sailingId),
          eq(fares.accommodation, "DECK"),
          eq(fares.passengerType, "adult"),
        ),
      );
    expect(row!.amount).toBe(12_300);
  });

  it("the route list tells the editors which routes are whose", async () => {
    const list = await api.admin.schedule.routes();
    expect(list.find((r) => r.id === gnvRoute)!.operator).toMatchObject({ code: "GNV", kind: "connected" });
    expect(list.find((r) => r.id === ctnRoute)!.operator).toMatchObject({ code: "CTN", kind: "own" });
  });
});
