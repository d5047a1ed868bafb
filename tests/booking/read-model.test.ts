import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBooking, loadBookings } from "@/server/db/queries/booking";
import { sailingWith, toSailingView } from "@/server/db/queries/sailing-view";
import { adminUsers, auditLog } from "@/server/db/schema/admin";
import { passengers } from "@/server/db/schema/bookings";
import { payments, refunds } from "@/server/db/schema/payments";
import { sailings } from "@/server/db/schema/sailings";
import { listRoutes } from "@/server/features/schedule/sailing-rows";
import { seedDatabase } from "@/server/seed/seed";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import * as fixtures from "../helpers/email-fixtures";

let t: TestDb;
let pair: fixtures.SailingPair;
/** Two passengers, a vehicle, a return leg, a payment, a refund and an audit entry. */
let round: fixtures.FixtureBooking;
/** One way, nothing else. */
let single: fixtures.FixtureBooking;
let adminEmail: string;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 21, devAdmin: null });
  pair = await fixtures.pickSailings(t.db);
  round = await fixtures.createBooking(t.db, {
    outboundSailingId: pair.outbound,
    returnSailingId: pair.inbound,
    vehicle: true,
  });
  single = await fixtures.createBooking(t.db, { outboundSailingId: pair.outbound });
  await t.db
    .update(passengers)
    .set({ documentNumber: "X0000000" })
    .where(eq(passengers.id, round.passengerIds[0]!));
  adminEmail = `ops-${round.reference.slice(4).toLowerCase()}@example.com`;
  const [admin] = await t.db
    .insert(adminUsers)
    .values({ email: adminEmail, passwordHash: "not-a-hash" })
    .returning({ id: adminUsers.id });
  const [pay] = await t.db
    .insert(payments)
    .values({ bookingId: round.id, amount: 1000, currency: "EUR", status: "COMPLETED" })
    .returning({ id: payments.id });
  await t.db.insert(refunds).values({
    bookingId: round.id,
    paymentId: pay!.id,
    amount: 300,
    currency: "EUR",
    reason: "ADMIN_REFUND",
    status: "PENDING",
    createdBy: admin!.id,
  });
  await t.db.insert(auditLog).values([
    { adminUserId: admin!.id, action: "bookings.refund", entity: "booking", entityId: round.id },
    { adminUserId: admin!.id, action: "bookings.cancel", entity: "booking", entityId: single.id },
    { adminUserId: admin!.id, action: "schedule.update", entity: "sailing", entityId: round.id },
  ]);
});
afterAll(() => t.destroy());

/** The sailing as plain SQL reads it: what the read model must agree with. */
async function joined(id: number) {
  const [row] = await t.sql<Record<string, string>[]>`
    select s.departure_at, r.refund_policy, v.name as vessel, o.code as op_code, o.name as op_name,
           f.code as f_code, f.name as f_name, f.time_zone as f_tz, d.code as t_code, d.name as t_name,
           d.time_zone as t_tz
    from sailings s join routes r on r.id = s.route_id join ports f on f.code = r.from_port
      join ports d on d.code = r.to_port join operators o on o.code = r.operator_code
      join vessels v on v.id = s.vessel_id
    where s.id = ${id}`;
  const r = row!;
  return {
    departureAt: new Date(r.departure_at!),
    from: { code: r.f_code, name: r.f_name, timeZone: r.f_tz },
    to: { code: r.t_code, name: r.t_name, timeZone: r.t_tz },
    operator: { code: r.op_code, name: r.op_name },
    vessel: r.vessel,
    refundPolicy: r.refund_policy,
  };
}

describe("loadBooking", () => {
  it("document: legs in itinerary order with their sailing, passengers by position, no money", async () => {
    const b = (await loadBooking(t.db, { id: round.id }, "document"))!;
    expect(b.reference).toBe(round.reference);
    expect(b.legs.map((l) => [l.direction, l.sailingId])).toEqual([
      ["OUTBOUND", pair.outbound],
      ["RETURN", pair.inbound],
    ]);
    const out = await joined(pair.outbound);
    expect(b.legs[0]).toMatchObject(out);
    expect(b.legs[1]!.from.code).toBe(out.to.code);
    expect(b.passengers.map((p) => [p.id, p.position])).toEqual([
      [round.passengerIds[0], 1],
      [round.passengerIds[1], 2],
    ]);
    expect(b.vehicle).toEqual({ type: expect.any(String), registration: expect.any(String) });
    expect(b.priceLines.map((l) => l.amount)).toEqual([17_900, 8_950, 21_000, 35_800]);
    expect(b).not.toHaveProperty("payments");
    expect(b).not.toHaveProperty("contactPhone");
  });

  it("traveller: payments and refunds, vehicle sizes, no passenger details", async () => {
    const b = (await loadBooking(t.db, { reference: round.reference }, "traveller"))!;
    expect(b.payments.map((p) => [p.amount, p.status])).toEqual([[1000, "COMPLETED"]]);
    expect(b.refunds.map((r) => [r.amount, r.status])).toEqual([[300, "PENDING"]]);
    expect(b.vehicle).toHaveProperty("heightCm");
    expect(Object.keys(b.passengers[0]!).sort()).toEqual(["firstName", "id", "lastName", "type"]);
    expect(b).not.toHaveProperty("emails");
  });

  it("admin: whether a document was given but never its number, who refunded, this booking's audit only", async () => {
    const b = (await loadBooking(t.db, { reference: round.reference }, "admin"))!;
    expect(b.passengers.map((p) => p.hasDocument)).toEqual([true, false]);
    expect(JSON.stringify(b)).not.toContain("X0000000");
    expect(b.refunds[0]!.createdByAdmin?.email).toBe(adminEmail);
    expect(b.audit.map((a) => [a.action, a.adminEmail])).toEqual([["bookings.refund", adminEmail]]);
    expect(b.payments[0]).toHaveProperty("checkoutSessionId");
  });

  it("a booking without a vehicle reads as null; an unknown one as null", async () => {
    expect((await loadBooking(t.db, { id: single.id }, "document"))!.vehicle).toBeNull();
    expect(await loadBooking(t.db, { reference: "TRV-00000000" }, "traveller")).toBeNull();
  });

  it("loadBookings reads many at once and leaves out the ones that do not exist", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const many = await loadBookings(t.db, [round.id, single.id, missing], "admin");
    expect([...many.keys()].sort()).toEqual([round.id, single.id].sort());
    expect(many.get(single.id)!.audit.map((a) => a.action)).toEqual(["bookings.cancel"]);
    expect(many.get(single.id)!.legs).toHaveLength(1);
    expect((await loadBookings(t.db, [], "document")).size).toBe(0);
  });
});

describe("sailingWith", () => {
  it("reads a sailing with its route, ports, operator and vessel, as the join does", async () => {
    const ids = [pair.outbound, pair.inbound];
    const rows = await t.db.query.sailings.findMany({ ...sailingWith, where: inArray(sailings.id, ids) });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const view = toSailingView(row);
      const { vessel, refundPolicy, ...rest } = await joined(view.id);
      expect(view).toMatchObject(rest);
      expect(view.vessel.name).toBe(vessel);
      expect(view.route.refundPolicy).toBe(refundPolicy);
    }
  });

  it("lists routes with their ports and operator (the admin's route pickers), in port order", async () => {
    const routes = await listRoutes(testServices({ db: t.db }));
    const rows = await t.sql<{ id: number; f: string; to: string; op: string; tz: string }[]>`
      select r.id, r.from_port as f, r.to_port as to, o.name as op, p.time_zone as tz
      from routes r join operators o on o.code = r.operator_code join ports p on p.code = r.from_port
      order by r.from_port, r.to_port, r.operator_code`;
    expect(rows.length).toBeGreaterThan(1);
    expect(routes.map((r) => [r.id, r.from.code, r.to.code, r.operator.name, r.from.timeZone])).toEqual(
      rows.map((r) => [r.id, r.f, r.to, r.op, r.tz]),
    );
  });
});
