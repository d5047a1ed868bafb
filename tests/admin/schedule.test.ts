import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema/admin";
import { routes, vessels } from "@/server/db/schema/network";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { addDays, localDate } from "@/shared/dates";
import { createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { adminCaller } from "./admin-helpers";
import { testServices } from "../helpers/services";

let t: TestDb;
let tc: TestCache;
let api: Awaited<ReturnType<typeof adminCaller>>["caller"];
let routeId: number;
let vesselId: number;
const today = localDate(new Date(), "Africa/Tunis");

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today, days: 14, devAdmin: null });
  const [r] = await t.db
    .select({ id: routes.id })
    .from(routes)
    .where(and(eq(routes.fromPort, "TUN"), eq(routes.toPort, "MRS")));
  routeId = r!.id;
  const [v] = await t.db.select({ id: vessels.id }).from(vessels).limit(1);
  vesselId = v!.id;
  // With the display cache, as in production: every edit below also runs its cache invalidation.
  tc = await createTestCache();
  ({ caller: api } = await adminCaller(testServices({ db: t.db, cache: tc.cache })));
});
afterAll(async () => {
  await tc?.close();
  await t.destroy();
});

async function futureSailing() {
  const [s] = await t.db
    .select()
    .from(sailings)
    .where(and(eq(sailings.routeId, routeId), sql`${sailings.departureAt} > now() + interval '2 days'`))
    .orderBy(sailings.departureAt)
    .limit(1);
  return s!;
}

async function inv(sailingId: number, resource: string) {
  const [row] = await t.db
    .select()
    .from(inventory)
    .where(and(eq(inventory.sailingId, sailingId), sql`${inventory.resource} = ${resource}`));
  return row!;
}

describe("capacities", () => {
  it("cannot go below held + sold; the whole change is refused with a clear message", async () => {
    const s = await futureSailing();
    await t.db
      .update(inventory)
      .set({ held: 3, sold: 4 })
      .where(and(eq(inventory.sailingId, s.id), sql`${inventory.resource} = 'SEAT'`));
    const deckBefore = await inv(s.id, "DECK");
    const seatBefore = await inv(s.id, "SEAT");
    const err = await api.admin.schedule
      .setCapacity({
        sailingId: s.id,
        capacities: [
          { resource: "DECK", capacity: deckBefore.capacity + 10 },
          { resource: "SEAT", capacity: 6 },
        ],
      })
      .catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: "CONFLICT" });
    expect((err as { message: string }).message).toContain("SEAT to 6 (3 held + 4 sold = 7)");
    // Nothing changed, not even the DECK part of the same request.
    expect((await inv(s.id, "DECK")).capacity).toBe(deckBefore.capacity);
    // (The CHECK constraint alone already forbids 6 here: what matters is that it is exactly as before.)
    expect(await inv(s.id, "SEAT")).toEqual(seatBefore);
  });

  it("can be set exactly to held + sold, and the change is audited with before and after", async () => {
    const s = await futureSailing();
    const seatBefore = await inv(s.id, "SEAT");
    const taken = seatBefore.held + seatBefore.sold;
    const row = await api.admin.schedule.setCapacity({
      sailingId: s.id,
      capacities: [{ resource: "SEAT", capacity: taken }],
    });
    expect(row.inventory.find((i) => i.resource === "SEAT")).toMatchObject({ capacity: taken });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "schedule.setCapacity"), eq(auditLog.entityId, String(s.id))));
    expect(audit).toMatchObject({ before: { SEAT: seatBefore.capacity }, after: { SEAT: taken } });
    expect(audit!.adminUserId).toBeTruthy();
  });

  it("refuses negative capacities at the input", async () => {
    const s = await futureSailing();
    await expect(
      api.admin.schedule.setCapacity({ sailingId: s.id, capacities: [{ resource: "SEAT", capacity: -1 }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("timetable generation", () => {
  const pattern = () => ({
    routeId,
    vesselId,
    weekdays: [1, 3, 5],
    departureTime: "03:17",
    fromDate: addDays(today, 20),
    toDate: addDays(today, 40),
  });

  it("previews without writing, then creates; running it twice creates no duplicates", async () => {
    const before = await t.db.select({ n: count() }).from(sailings);
    const preview = await api.admin.schedule.previewTimetable(pattern());
    expect(preview.newCount).toBeGreaterThanOrEqual(8);
    expect(preview.existingCount).toBe(0);
    expect((await t.db.select({ n: count() }).from(sailings))[0]!.n).toBe(before[0]!.n);

    const first = await api.admin.schedule.generateTimetable(pattern());
    expect(first).toMatchObject({ created: preview.newCount, skipped: 0 });
    const second = await api.admin.schedule.generateTimetable(pattern());
    expect(second).toMatchObject({ created: 0, skipped: preview.newCount });
    const after = await t.db.select({ n: count() }).from(sailings);
    expect(after[0]!.n).toBe(before[0]!.n + preview.newCount);
    // Every new sailing got its inventory rows from the vessel.
    const [invRows] = await t.db
      .select({ n: count() })
      .from(inventory)
      .where(
        sql`${inventory.sailingId} in (select id from sailings where route_id = ${routeId} and departure_at >= ${new Date(`${addDays(today, 19)}T00:00:00Z`).toISOString()}::timestamptz)`,
      );
    expect(invRows!.n).toBeGreaterThan(0);

    const again = await api.admin.schedule.previewTimetable(pattern());
    expect(again).toMatchObject({ newCount: 0, existingCount: preview.newCount });
    // Local time at the departure port (Tunis), whatever the test machine's zone.
    expect(
      again.sailings.every(
        (s) =>
          new Intl.DateTimeFormat("en-GB", {
            timeZone: "Africa/Tunis",
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          }).format(s.departureAt) === "03:17",
      ),
    ).toBe(true);
  });

  it("lists and shows the week by the departure port's local date", async () => {
    const list = await api.admin.schedule.list({
      routeId,
      fromDate: addDays(today, 20),
      toDate: addDays(today, 40),
    });
    const generated = list.filter((s) => s.departureLocal.time === "03:17");
    expect(generated.length).toBeGreaterThanOrEqual(8);
    const week = await api.admin.schedule.weekView({ date: generated[0]!.departureLocal.date, routeId });
    expect(week.days).toHaveLength(7);
    const day = week.days.find((d) => d.date === generated[0]!.departureLocal.date)!;
    expect(day.sailings.map((s) => s.id)).toContain(generated[0]!.id);
  });
});

describe("single sailings", () => {
  it("creates one, refuses a second at the same time, and moves it", async () => {
    const date = addDays(today, 50);
    const created = await api.admin.schedule.create({
      routeId,
      vesselId,
      departureDate: date,
      departureTime: "11:05",
    });
    expect(created.departureLocal).toEqual({ date, time: "11:05" });
    expect(created.inventory.length).toBeGreaterThan(0);
    await expect(
      api.admin.schedule.create({ routeId, vesselId, departureDate: date, departureTime: "11:05" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const other = await api.admin.schedule.create({
      routeId,
      vesselId,
      departureDate: date,
      departureTime: "15:00",
    });
    // Moving onto another sailing's slot is a clear conflict, not a database error.
    await expect(
      api.admin.schedule.update({ sailingId: other.id, departureDate: date, departureTime: "11:05" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already leaves") });
    const moved = await api.admin.schedule.update({
      sailingId: other.id,
      departureDate: date,
      departureTime: "16:30",
      durationMinutes: 600,
    });
    expect(moved.sailing.departureLocal.time).toBe("16:30");
    expect(moved.sailing.arrivalAt.getTime() - moved.sailing.departureAt.getTime()).toBe(600 * 60_000);
  });
});
