import { randomInt } from "node:crypto";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import {
  type BookingStatus,
  bookingLegs,
  bookings,
  bookingVehicles,
  type Locale,
  passengers,
  priceLines,
} from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { routes } from "@/server/db/schema/network";
import type { Accommodation, VehicleType } from "@/server/db/schema/resources";
import { sailings } from "@/server/db/schema/sailings";
import { type EmailTransport, emailTransport } from "@/server/features/email/resend-client";
import type { Services } from "@/server/services";
import type { ResendEmulator } from "../../emulators/resend/server";
import { startWorker, type WorkerHandle } from "../../worker/runner";
import { waitUntil } from "./poll";

/**
 * Bookings inserted row by row, the way the booking flow will write them, so email and ticket tests do
 * not depend on the booking feature. Names and addresses are obviously fake.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function randomReference(): string {
  let s = "TRV-";
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export interface SailingPair {
  outbound: number;
  inbound: number;
}

/** A TUN → MRS sailing and a later MRS → TUN one from the seeded timetable. */
export async function pickSailings(db: Db, after = new Date(0)): Promise<SailingPair> {
  const leg = async (from: string, to: string, notBefore: Date) => {
    const [row] = await db
      .select({ id: sailings.id, departureAt: sailings.departureAt })
      .from(sailings)
      .innerJoin(routes, eq(routes.id, sailings.routeId))
      .where(and(eq(routes.fromPort, from), eq(routes.toPort, to), gt(sailings.departureAt, notBefore)))
      .orderBy(asc(sailings.departureAt))
      .limit(1);
    if (!row) throw new Error(`no seeded sailing ${from} → ${to}`);
    return row;
  };
  const out = await leg("TUN", "MRS", after);
  const back = await leg("MRS", "TUN", new Date(out.departureAt.getTime() + 2 * 86_400_000));
  return { outbound: out.id, inbound: back.id };
}

export interface FixtureBooking {
  id: string;
  reference: string;
  email: string;
  locale: Locale;
  passengerIds: number[];
}

export async function createBooking(
  db: Db,
  opts: {
    outboundSailingId: number;
    returnSailingId?: number;
    locale?: Locale;
    email?: string;
    status?: BookingStatus;
    passengers?: { firstName: string; lastName: string; type: "adult" | "child" | "infant" }[];
    vehicle?: boolean;
    confirmedAt?: Date;
  },
): Promise<FixtureBooking> {
  const reference = randomReference();
  const email = opts.email ?? `traveller-${reference.slice(4).toLowerCase()}@example.com`;
  const people = opts.passengers ?? [
    { firstName: "Amira", lastName: "Testova", type: "adult" as const },
    { firstName: "Youssef", lastName: "Testova", type: "child" as const },
  ];
  const status = opts.status ?? "CONFIRMED";
  const lines = [
    {
      direction: "OUTBOUND" as const,
      ...passengerLine("adult", "SEAT"),
      description: "Adult · reclining seat",
      quantity: 1,
      unitAmount: 17_900,
    },
    {
      direction: "OUTBOUND" as const,
      ...passengerLine("child", "SEAT"),
      description: "Child · reclining seat",
      quantity: 1,
      unitAmount: 8_950,
    },
    ...(opts.vehicle
      ? [
          {
            direction: "OUTBOUND" as const,
            ...vehicleLine("car"),
            description: "Car",
            quantity: 1,
            unitAmount: 21_000,
          },
        ]
      : []),
    ...(opts.returnSailingId
      ? [
          {
            direction: "RETURN" as const,
            ...passengerLine("adult", "CABIN_INSIDE"),
            description: "Adult · reclining seat",
            quantity: 2,
            unitAmount: 17_900,
          },
        ]
      : []),
  ];
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitAmount, 0);
  return db.transaction(async (tx) => {
    const [booking] = await tx
      .insert(bookings)
      .values({
        reference,
        contactEmail: email,
        locale: opts.locale ?? "en",
        status,
        totalAmount: total,
        currency: "EUR",
        holdExpiresAt: new Date(Date.now() + 30 * 60_000),
        confirmedAt: status === "CONFIRMED" ? (opts.confirmedAt ?? new Date("2026-12-01T10:00:00Z")) : null,
      })
      .returning({ id: bookings.id });
    const id = booking!.id;
    await tx.insert(bookingLegs).values([
      { bookingId: id, direction: "OUTBOUND", sailingId: opts.outboundSailingId, accommodation: "SEAT" },
      ...(opts.returnSailingId
        ? [
            {
              bookingId: id,
              direction: "RETURN" as const,
              sailingId: opts.returnSailingId,
              accommodation: "CABIN_INSIDE" as const,
            },
          ]
        : []),
    ]);
    const inserted = await tx
      .insert(passengers)
      .values(people.map((p, i) => ({ bookingId: id, position: i + 1, ...p })))
      .returning({ id: passengers.id });
    if (opts.vehicle) {
      await tx.insert(bookingVehicles).values({ bookingId: id, type: "car", registration: "123 TU 4567" });
    }
    await tx
      .insert(priceLines)
      .values(
        lines.map((l) => ({ bookingId: id, ...l, amount: l.quantity * l.unitAmount, currency: "EUR" })),
      );
    return { id, reference, email, locale: opts.locale ?? "en", passengerIds: inserted.map((p) => p.id) };
  });
}

/** An email transport to a private emulator: what a test's Services send through (`svc.email`). */
export function emulatorTransport(emu: ResendEmulator, requestsPerSecond = 2): EmailTransport {
  return emailTransport({ apiKey: "re_test_key", baseUrl: emu.url, requestsPerSecond, timeoutMs: 5000 });
}

export async function outboxRow(db: Db, id: string) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!row) throw new Error(`outbox row ${id} missing`);
  return row;
}

/** Polls until `check` is true, or throws after `timeoutMs` naming `what` (tests/helpers/poll.ts). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  what = `${check}`,
) {
  await waitUntil(check, { what, timeoutMs });
}

export async function queuedCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(emailOutbox)
    .where(eq(emailOutbox.status, "QUEUED"));
  return row?.n ?? 0;
}

/** An in-process worker on the test database running on `svc`, cron off, polling fast. */
export function startTestWorker(svc: Services, url: string, concurrency = 4): Promise<WorkerHandle> {
  return startWorker({ connectionString: url, concurrency, cron: false, pollInterval: 100, svc });
}

/** A passenger price line's kind and codes, as `createBooking` stores them. */
function passengerLine(passengerType: "adult" | "child" | "infant", accommodation: Accommodation) {
  return { kind: "PASSENGER" as const, passengerType, accommodation, vehicleType: null };
}

function vehicleLine(vehicleType: VehicleType) {
  return { kind: "VEHICLE" as const, passengerType: null, accommodation: null, vehicleType };
}
