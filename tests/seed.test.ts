import { and, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUsers } from "@/server/db/schema/admin";
import { fares } from "@/server/db/schema/fares";
import { operators, ports, routes, vessels } from "@/server/db/schema/network";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { DEV_ADMIN } from "@/server/features/security/dev-admin";
import { seedDatabase } from "@/server/seed/seed";
import { createTestDb, type TestDb } from "./helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.destroy());

async function counts() {
  const n = async (table: PgTable) => {
    const [r] = await t.db.select({ n: sql<number>`count(*)::int` }).from(table);
    return r!.n;
  };
  return {
    ports: await n(ports),
    operators: await n(operators),
    vessels: await n(vessels),
    routes: await n(routes),
    sailings: await n(sailings),
    inventory: await n(inventory),
    fares: await n(fares),
    admins: await n(adminUsers),
  };
}

describe("seed", () => {
  it("creates a realistic network and is idempotent", async () => {
    const first = await seedDatabase(t.db, { today: "2027-03-01", devAdmin: DEV_ADMIN });
    const after1 = await counts();
    const second = await seedDatabase(t.db, { today: "2027-03-01", devAdmin: DEV_ADMIN });
    const after2 = await counts();

    // Own operators only (CTN, CLN): 120 days of about 3.4 sailings a day.
    expect(first.sailingsCreated).toBeGreaterThan(400);
    expect(second.sailingsCreated).toBe(0);
    expect(after2).toEqual(after1);
    expect(after1.ports).toBeGreaterThanOrEqual(7);
    expect(after1.operators).toBeGreaterThanOrEqual(4);
    expect(after1.routes).toBeGreaterThanOrEqual(10);
    expect(after1.admins).toBe(1);
    expect(after1.inventory).toBe(after1.sailings * 7);

    // Connected operators keep their routes (search learns who sails a pair from them) and nothing else:
    // their sailings, fares and places live in their own systems.
    const connectedRows = await t.db.execute<{ sailings: number; fares: number; routes: number }>(sql`
      select (select count(*)::int from sailings s join routes r on r.id = s.route_id
                where r.operator_code in ('GNV', 'GRM')) as sailings,
             (select count(*)::int from fares f join routes r on r.id = f.route_id
                where r.operator_code in ('GNV', 'GRM')) as fares,
             (select count(*)::int from routes where operator_code in ('GNV', 'GRM')) as routes`);
    expect(connectedRows[0]).toEqual({ sailings: 0, fares: 0, routes: 10 });

    const tz = await t.db.select({ code: ports.code, tz: ports.timeZone }).from(ports);
    expect(Object.fromEntries(tz.map((p) => [p.code, p.tz]))).toMatchObject({
      TUN: "Africa/Tunis",
      MRS: "Europe/Paris",
      GOA: "Europe/Rome",
      BCN: "Europe/Madrid",
    });

    const [span] = await t.db
      .select({
        first: sql<string>`min(departure_at)::date::text`,
        last: sql<string>`max(departure_at)::date::text`,
      })
      .from(sailings);
    expect(span!.first >= "2027-02-28").toBe(true);
    expect(span!.last <= "2027-06-29").toBe(true);
    expect(span!.last >= "2027-06-20").toBe(true);
  });

  it("uses realistic crossing times", async () => {
    const rows = await t.db
      .select({ minutes: routes.durationMinutes, operator: routes.operatorCode })
      .from(routes)
      .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "MRS")));
    for (const r of rows) {
      expect(r.minutes).toBeGreaterThanOrEqual(21 * 60);
      expect(r.minutes).toBeLessThanOrEqual(24 * 60);
    }
    const [pmo] = await t.db
      .select({ minutes: routes.durationMinutes })
      .from(routes)
      .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "PMO")));
    expect(Math.abs(pmo!.minutes - 600)).toBeLessThanOrEqual(60);
  });

  it("does not create the development admin when told not to", async () => {
    const other = await createTestDb();
    try {
      await seedDatabase(other.db, { today: "2027-03-01", days: 3, devAdmin: null });
      const [r] = await other.db.select({ n: sql<number>`count(*)::int` }).from(adminUsers);
      expect(r!.n).toBe(0);
    } finally {
      await other.destroy();
    }
  });
});
