import { and, eq, isNull, sql } from "drizzle-orm";
import { operatorBaseUrl } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { adminUsers } from "@/server/db/schema/admin";
import { fares } from "@/server/db/schema/fares";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import type { Accommodation, Resource, VehicleType } from "@/server/db/schema/resources";
import { hashPassword } from "@/server/features/auth/password";
import { createSailings, planTimetable } from "@/server/features/schedule/timetable";
import { addDays } from "@/shared/dates";

/**
 * Realistic demo data for the Tunisia ⇄ Europe network. Idempotent: every insert is keyed on a natural
 * key and skips what exists, so `npm run db:seed` can run any number of times; a later run only extends
 * the timetable to 120 days from its own date.
 */

const PORTS = [
  { code: "TUN", name: "Tunis (La Goulette)", country: "TN", timeZone: "Africa/Tunis" },
  { code: "MRS", name: "Marseille", country: "FR", timeZone: "Europe/Paris" },
  { code: "GOA", name: "Genoa", country: "IT", timeZone: "Europe/Rome" },
  { code: "CIV", name: "Civitavecchia (Rome)", country: "IT", timeZone: "Europe/Rome" },
  { code: "PMO", name: "Palermo", country: "IT", timeZone: "Europe/Rome" },
  { code: "SAL", name: "Salerno", country: "IT", timeZone: "Europe/Rome" },
  { code: "BCN", name: "Barcelona", country: "ES", timeZone: "Europe/Madrid" },
  { code: "TPS", name: "Trapani", country: "IT", timeZone: "Europe/Rome" },
];

const OPERATORS = [
  { code: "CTN", name: "Compagnie Tunisienne de Navigation" },
  { code: "CLN", name: "Corsica Linea" },
  { code: "GNV", name: "Grandi Navi Veloci" },
  { code: "GRM", name: "Grimaldi Lines" },
];
/**
 * Sold through their reservation systems (src/server/features/operators/). Their routes below are seeded
 * (search learns from them which operators sail a pair) but no fares, sailings or inventory: those live in
 * the operator's own system.
 */
const CONNECTED_OPERATORS = ["GNV", "GRM"];

type Caps = Partial<Record<Resource, number>>;
const bigShip: Caps = {
  PASSENGER: 2000,
  DECK: 700,
  SEAT: 450,
  CABIN_INSIDE: 160,
  CABIN_OUTSIDE: 110,
  VEHICLE: 1100,
  KENNEL: 12,
};
const midShip: Caps = {
  PASSENGER: 1300,
  DECK: 450,
  SEAT: 300,
  CABIN_INSIDE: 110,
  CABIN_OUTSIDE: 60,
  VEHICLE: 800,
  KENNEL: 8,
};
const smallShip: Caps = {
  PASSENGER: 600,
  DECK: 250,
  SEAT: 200,
  CABIN_INSIDE: 40,
  CABIN_OUTSIDE: 20,
  VEHICLE: 300,
  KENNEL: 4,
};

const VESSELS = [
  { operatorCode: "CTN", name: "Tanit", capacities: bigShip },
  { operatorCode: "CTN", name: "Carthage", capacities: midShip },
  { operatorCode: "CTN", name: "Habib", capacities: bigShip },
  { operatorCode: "CLN", name: "Méditerranée", capacities: midShip },
  { operatorCode: "GNV", name: "La Suprema", capacities: bigShip },
  { operatorCode: "GNV", name: "Excellent", capacities: midShip },
  { operatorCode: "GRM", name: "Cruise Barcelona", capacities: bigShip },
  { operatorCode: "GRM", name: "Catania", capacities: smallShip },
];

interface RouteSeed {
  from: string;
  to: string;
  operator: string;
  vessel: string;
  minutes: number;
  /** Outbound ISO weekdays and local departure time; the reverse sails the day after arrival. */
  days: number[];
  time: string;
  returnDays: number[];
  returnTime: string;
  /** Adult deck fare in euro cents; other fares derive from it. */
  base: number;
  policy?: "STANDARD" | "FLEX";
}

// Crossing times from the operators' published timetables, rounded.
const ROUTES: RouteSeed[] = [
  {
    from: "TUN",
    to: "MRS",
    operator: "CTN",
    vessel: "Tanit",
    minutes: 21 * 60,
    days: [1, 3, 5],
    time: "12:00",
    returnDays: [2, 4, 6],
    returnTime: "13:00",
    base: 17_900,
  },
  {
    from: "TUN",
    to: "MRS",
    operator: "CLN",
    vessel: "Méditerranée",
    minutes: 23 * 60 + 30,
    days: [2, 6],
    time: "18:00",
    returnDays: [1, 4],
    returnTime: "17:00",
    base: 16_500,
    policy: "FLEX",
  },
  // Tunis–Genoa is sailed by CTN (own) and GNV (connected): one search, both kinds of operator.
  {
    from: "TUN",
    to: "GOA",
    operator: "CTN",
    vessel: "Habib",
    minutes: 23 * 60,
    days: [2, 6],
    time: "14:00",
    returnDays: [4, 7],
    returnTime: "18:00",
    base: 15_500,
  },
  {
    from: "TUN",
    to: "GOA",
    operator: "GNV",
    vessel: "La Suprema",
    minutes: 24 * 60,
    days: [2, 4, 7],
    time: "20:00",
    returnDays: [1, 3, 6],
    returnTime: "21:00",
    base: 15_900,
  },
  {
    from: "TUN",
    to: "CIV",
    operator: "GRM",
    vessel: "Cruise Barcelona",
    minutes: 22 * 60,
    days: [3, 7],
    time: "19:30",
    returnDays: [2, 5],
    returnTime: "20:00",
    base: 14_900,
  },
  {
    from: "TUN",
    to: "PMO",
    operator: "GNV",
    vessel: "Excellent",
    minutes: 10 * 60,
    days: [1, 2, 3, 4, 5, 6, 7],
    time: "21:00",
    returnDays: [1, 2, 3, 4, 5, 6, 7],
    returnTime: "22:00",
    base: 8_900,
  },
  {
    from: "TUN",
    to: "SAL",
    operator: "GRM",
    vessel: "Catania",
    minutes: 20 * 60,
    days: [4],
    time: "16:00",
    returnDays: [6],
    returnTime: "14:00",
    base: 12_900,
  },
  {
    from: "TUN",
    to: "BCN",
    operator: "GRM",
    vessel: "Cruise Barcelona",
    minutes: 29 * 60,
    days: [5],
    time: "14:00",
    returnDays: [1],
    returnTime: "22:00",
    base: 19_900,
  },
  {
    from: "TUN",
    to: "TPS",
    operator: "CTN",
    vessel: "Carthage",
    minutes: 7 * 60 + 30,
    // Daily: with GNV and GRM connected, the one own route that sails every day (tests and demos use it).
    days: [1, 2, 3, 4, 5, 6, 7],
    time: "09:00",
    returnDays: [1, 2, 3, 4, 5, 6, 7],
    returnTime: "10:00",
    base: 7_900,
  },
];

const ACCOMMODATION_FACTOR: Record<Accommodation, number> = {
  DECK: 1,
  SEAT: 1.2,
  CABIN_INSIDE: 1.65,
  CABIN_OUTSIDE: 1.95,
};
const VEHICLE_FACTOR: Record<VehicleType, number> = { motorcycle: 0.7, car: 1.45, high_car: 2.1, camper: 3 };

const roundEuro = (cents: number) => Math.round(cents / 100) * 100;

export interface SeedOptions {
  /** First local date of the timetable; defaults to today (UTC). */
  today?: string;
  days?: number;
  devAdmin?: { email: string; password: string } | null;
  /** Base URL of a connected operator's reservation system; default OPERATOR_<CODE>_URL or the emulator's. */
  operatorUrl?: (code: string) => string | undefined;
}

export interface SeedResult {
  sailingsCreated: number;
}

export async function seedDatabase(db: DbOrTx, opts: SeedOptions = {}): Promise<SeedResult> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const days = opts.days ?? 120;
  await db.insert(ports).values(PORTS).onConflictDoNothing();
  await db.insert(operators).values(OPERATORS).onConflictDoNothing();
  await markConnected(db, opts.operatorUrl ?? operatorBaseUrl);
  await db.insert(vessels).values(VESSELS).onConflictDoNothing();
  const vesselRows = await db.select({ id: vessels.id, name: vessels.name }).from(vessels);
  const vesselId = (name: string) => {
    const v = vesselRows.find((r) => r.name === name);
    if (!v) throw new Error(`seed vessel ${name} missing`);
    return v.id;
  };

  let sailingsCreated = 0;
  for (const r of ROUTES) {
    for (const dir of [
      { from: r.from, to: r.to, days: r.days, time: r.time },
      { from: r.to, to: r.from, days: r.returnDays, time: r.returnTime },
    ]) {
      await db
        .insert(routes)
        .values({
          fromPort: dir.from,
          toPort: dir.to,
          operatorCode: r.operator,
          durationMinutes: r.minutes,
          refundPolicy: r.policy ?? "STANDARD",
        })
        .onConflictDoNothing();
      const [route] = await db
        .select({ id: routes.id })
        .from(routes)
        .where(
          and(eq(routes.fromPort, dir.from), eq(routes.toPort, dir.to), eq(routes.operatorCode, r.operator)),
        );
      if (!route) throw new Error("seed route missing");
      if (CONNECTED_OPERATORS.includes(r.operator)) continue;
      await seedFares(db, route.id, r.base);
      const planned = await planTimetable(db, {
        routeId: route.id,
        vesselId: vesselId(r.vessel),
        weekdays: dir.days,
        departureTime: dir.time,
        fromDate: today,
        toDate: addDays(today, days - 1),
      });
      const res = await createSailings(db, {
        routeId: route.id,
        vesselId: vesselId(r.vessel),
        sailings: planned,
      });
      sailingsCreated += res.created;
    }
  }

  if (opts.devAdmin) {
    const exists = await db
      .select({ id: adminUsers.id })
      .from(adminUsers)
      .where(eq(adminUsers.email, opts.devAdmin.email));
    if (exists.length === 0) {
      await db
        .insert(adminUsers)
        .values({
          email: opts.devAdmin.email,
          name: "Dev Admin",
          passwordHash: await hashPassword(opts.devAdmin.password),
        })
        .onConflictDoNothing();
    }
  }
  return { sailingsCreated };
}

/**
 * Marks GNV and GRM connected where nothing was configured yet (still own, no base URL): an admin's
 * later choice is never overwritten. Without a URL (production with OPERATOR_<CODE>_URL unset) the row
 * is left as it is, because a connected operator must have one.
 */
async function markConnected(db: DbOrTx, urlOf: (code: string) => string | undefined) {
  for (const code of CONNECTED_OPERATORS) {
    const baseUrl = urlOf(code);
    if (!baseUrl) continue;
    await db
      .update(operators)
      .set({ kind: "connected", baseUrl })
      .where(and(eq(operators.code, code), eq(operators.kind, "own"), isNull(operators.baseUrl)));
  }
}

async function seedFares(db: DbOrTx, routeId: number, base: number) {
  const existing = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(fares)
    .where(and(eq(fares.routeId, routeId), isNull(fares.sailingId)));
  if ((existing[0]?.n ?? 0) > 0) return;
  const rows: (typeof fares.$inferInsert)[] = [];
  for (const [accommodation, f] of Object.entries(ACCOMMODATION_FACTOR) as [Accommodation, number][]) {
    const adult = roundEuro(base * f);
    rows.push({
      routeId,
      kind: "PASSENGER",
      accommodation,
      passengerType: "adult",
      amount: adult,
      currency: "EUR",
    });
    rows.push({
      routeId,
      kind: "PASSENGER",
      accommodation,
      passengerType: "child",
      amount: roundEuro(adult * 0.6),
      currency: "EUR",
    });
    // Infants travel on a lap: a small port-tax-only fare.
    rows.push({
      routeId,
      kind: "PASSENGER",
      accommodation,
      passengerType: "infant",
      amount: 1_500,
      currency: "EUR",
    });
  }
  for (const [vehicleType, f] of Object.entries(VEHICLE_FACTOR) as [VehicleType, number][]) {
    rows.push({ routeId, kind: "VEHICLE", vehicleType, amount: roundEuro(base * f), currency: "EUR" });
  }
  rows.push({ routeId, kind: "PET", amount: 4_500, currency: "EUR" });
  await db.insert(fares).values(rows).onConflictDoNothing();
}

