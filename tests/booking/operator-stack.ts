import { and, eq, inArray, sql } from "drizzle-orm";
import { type OperatorEmulator, startOperatorEmulator } from "../../emulators/operator/server";
import { bookingLegs, bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { operators, routes, vessels } from "@/server/db/schema/network";
import { payments, refunds } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { createOperatorDirectory } from "@/server/features/operators/directory";
import { createSailings } from "@/server/features/schedule/timetable";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import { afterAll, beforeAll } from "vitest";
import { standIn } from "../../emulators/shared/stand-in";
import { adult, type BookingStack, createBookingStack, waitFor } from "../helpers/booking-stack";
import { testServices } from "../helpers/services";

/**
 * A booking stack (tests/helpers/booking-stack.ts) plus a real GNV operator emulator on a free port, with
 * no latency, no rate limit and empty ships, and Services whose operator directory points at it (timeout
 * 600 ms). The seed's own-inventory GNV/GRM sailings are removed (they go from the seed anyway): a shadow
 * row must not collide with a seeded sailing at the same departure. An own CTN route PMO→TUN with a
 * sailing is added for mixed trips.
 */
export interface OperatorStack {
  s: BookingStack;
  gnv: OperatorEmulator;
  svc: Services;
  close(): Promise<void>;
}

export const TIMEOUT_MS = 600;

/** The operator stack of one test file: made before its tests, closed after them. */
export function operatorStackForFile(): OperatorStack {
  let stack: OperatorStack | undefined;
  beforeAll(async () => {
    stack = await createOperatorStack();
  }, 60_000);
  afterAll(() => stack?.close());
  return standIn(() => stack, "The operator stack");
}

export async function createOperatorStack(): Promise<OperatorStack> {
  const s = await createBookingStack({ days: 21 });
  const gnv = await startOperatorEmulator({ code: "GNV", latency: null, rateLimit: null, load: 0 });
  const db = s.t.db;
  await db.execute(
    sql`delete from sailings where route_id in (select id from routes where operator_code in ('GNV', 'GRM'))`,
  );
  await db
    .update(operators)
    .set({ kind: "connected", baseUrl: gnv.url, timeoutMs: TIMEOUT_MS, markupBps: 800 })
    .where(eq(operators.code, "GNV"));
  const directory = await createOperatorDirectory({
    db,
    apiKeyFor: () => "test-key",
    urlOverrideFor: (code) => (code === "GNV" ? gnv.url : undefined),
    timeoutCapMs: TIMEOUT_MS,
  });
  const svc = testServices({
    db,
    cache: s.tc.cache,
    stripe: s.stripe,
    email: s.svc.email,
    operators: directory,
  });
  await s.startWorker(svc);
  return {
    s,
    gnv,
    svc,
    async close() {
      await s.close();
      await gnv.close();
    },
  };
}

/** The emulator's GNV sailing `from`→`to` departing `daysAhead` local days from now (Tunis dates). */
export async function operatorSailing(st: OperatorStack, from: string, to: string, daysAhead: number) {
  const connector = (await st.svc.operators()).get("GNV")!;
  const day = localDate(new Date(Date.now() + daysAhead * 86_400_000), "Africa/Tunis");
  const offers = await connector.sailings({ from, to }, day, { adults: 1 });
  const offer = offers[0];
  if (!offer) throw new Error(`the emulator sails no ${from}→${to} on ${day}`);
  return { id: `GNV:${offer.sailingRef}`, ref: offer.sailingRef, offer };
}

/** An own CTN sailing PMO→TUN departing after `after` (fares copied from CTN's TUN→MRS route). */
export async function ownReturnSailing(st: OperatorStack, after: Date): Promise<number> {
  const db = st.s.t.db;
  await db
    .insert(routes)
    .values({ fromPort: "PMO", toPort: "TUN", operatorCode: "CTN", durationMinutes: 600 })
    .onConflictDoNothing();
  const [route] = await db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.fromPort, "PMO"), eq(routes.toPort, "TUN"), eq(routes.operatorCode, "CTN")));
  const [mrs] = await db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "MRS"), eq(routes.operatorCode, "CTN")));
  await db.execute(sql`
    insert into fares (route_id, kind, accommodation, passenger_type, vehicle_type, amount, currency)
    select ${route!.id}, kind, accommodation, passenger_type, vehicle_type, amount, currency
    from fares where route_id = ${mrs!.id} and sailing_id is null on conflict do nothing`);
  const [vessel] = await db.select({ id: vessels.id }).from(vessels).where(eq(vessels.operatorCode, "CTN"));
  const departureAt = new Date(after.getTime() + 6 * 3_600_000);
  const created = await createSailings(db, {
    routeId: route!.id,
    vesselId: vessel!.id,
    sailings: [{ departureAt, arrivalAt: new Date(departureAt.getTime() + 600 * 60_000) }],
  });
  return created.ids[0]!;
}

export function connectedInput(
  sailingId: number | string,
  over: Partial<CreateBookingInput> = {},
): CreateBookingInput {
  return {
    outbound: { sailingId, accommodation: "DECK" },
    // Operators accept letters only in names (the shared adult() numbers them).
    passengers: [{ ...adult(1), firstName: "Amira" }],
    pets: 0,
    contact: { email: `op${Math.floor(Math.random() * 1e9)}@example.com` },
    locale: "en",
    ...over,
  };
}

export async function bookingOf(st: OperatorStack, reference: string) {
  const db = st.s.t.db;
  const [b] = await db.select().from(bookings).where(eq(bookings.reference, reference));
  const legs = await db.select().from(bookingLegs).where(eq(bookingLegs.bookingId, b!.id));
  const [p] = await db.select().from(payments).where(eq(payments.bookingId, b!.id));
  return { booking: b!, legs, payment: p! };
}

/** Creates a connected booking and pays it on the Stripe emulator. */
export async function bookAndPay(st: OperatorStack, input: CreateBookingInput) {
  const r = await createBooking(st.svc, input);
  const { booking, payment } = await bookingOf(st, r.reference);
  st.s.emulator.pay(payment.checkoutSessionId!);
  return { r, booking, payment };
}

export const statusOf = async (st: OperatorStack, id: string) =>
  (await st.s.t.db.select({ status: bookings.status }).from(bookings).where(eq(bookings.id, id)))[0]!.status;

export const waitForStatus = (st: OperatorStack, id: string, status: string, timeoutMs = 20_000) =>
  waitFor(
    () => statusOf(st, id),
    (v) => v === status,
    timeoutMs,
    `booking ${id} to become ${status}`,
  );

export const emailsOf = async (st: OperatorStack, bookingId: string, kind: string) =>
  (await st.s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, bookingId))).filter(
    (e) => e.kind === kind,
  );

export const refundsOf = (st: OperatorStack, bookingId: string) =>
  st.s.t.db.select().from(refunds).where(eq(refunds.bookingId, bookingId));

/** The emulator's view of one booking, by our agent reference. */
export async function atOperator(st: OperatorStack, agentReference: string) {
  const res = await fetch(`${st.gnv.url}/_emulator/bookings`);
  const body = (await res.json()) as {
    bookings: { agentReference: string; status: string; operatorReference: string }[];
  };
  return body.bookings.find((b) => b.agentReference === agentReference);
}

export async function control(st: OperatorStack, path: string, body: unknown) {
  const res = await fetch(`${st.gnv.url}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export const shadowSailingIds = async (st: OperatorStack) =>
  (
    await st.s.t.db
      .select({ id: sailings.id })
      .from(sailings)
      .where(sql`${sailings.operatorSailingId} is not null`)
  ).map((r) => r.id);

export { inArray };
