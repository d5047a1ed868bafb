import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "@/server/db/schema/email";
import { sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { queueDepartureReminders } from "@/server/features/email/reminders";
import { crontab } from "../../worker/task-list";
import { createTestDb, type TestDb } from "../helpers/db";
import { createBooking, pickSailings } from "../helpers/email-fixtures";
import { svcAt, testServices } from "../helpers/services";
import type { Services } from "@/server/services";

let t: TestDb;
let svc: Services;

beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db });
  await seedDatabase(t.db, { today: "2027-01-04", days: 21, devAdmin: null });
});
afterAll(() => t.destroy());

describe("departure reminders", () => {
  it("runs every 15 minutes from the worker's crontab", () => {
    expect(crontab).toMatch(/^\*\/15 \* \* \* \* send_departure_reminders/m);
  });

  it("queues one reminder per leg departing in the next 24 h, once, for confirmed bookings only", async () => {
    const pair = await pickSailings(t.db);
    const [out] = await t.db.select().from(sailings).where(eq(sailings.id, pair.outbound));
    const [back] = await t.db.select().from(sailings).where(eq(sailings.id, pair.inbound));
    const confirmedLongAgo = new Date(out!.departureAt.getTime() - 10 * 86_400_000);
    const due = await createBooking(t.db, {
      outboundSailingId: pair.outbound,
      returnSailingId: pair.inbound,
      locale: "fr",
      confirmedAt: confirmedLongAgo,
    });
    const cancelled = await createBooking(t.db, { outboundSailingId: pair.outbound, status: "CANCELLED" });
    const pending = await createBooking(t.db, {
      outboundSailingId: pair.outbound,
      status: "PENDING_PAYMENT",
    });
    // Booked 3 hours before departure: the confirmation has just gone out, no reminder on top of it.
    const lastMinute = await createBooking(t.db, {
      outboundSailingId: pair.outbound,
      confirmedAt: new Date(out!.departureAt.getTime() - 3 * 3600_000),
    });

    // 30 hours before: nothing due yet.
    expect(
      await queueDepartureReminders(svcAt(svc, new Date(out!.departureAt.getTime() - 30 * 3600_000))),
    ).toBe(0);
    // 20 hours before: the outbound leg.
    const at = new Date(out!.departureAt.getTime() - 20 * 3600_000);
    expect(await queueDepartureReminders(svcAt(svc, at))).toBe(1);
    // Every later tick inside the window queues nothing more.
    expect(await queueDepartureReminders(svcAt(svc, new Date(at.getTime() + 15 * 60_000)))).toBe(0);
    // The return leg gets its own reminder when it comes due.
    expect(
      await queueDepartureReminders(svcAt(svc, new Date(back!.departureAt.getTime() - 23 * 3600_000))),
    ).toBe(1);

    const rows = await t.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "departure_reminder"));
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([
      `reminder:${due.id}:OUTBOUND`,
      `reminder:${due.id}:RETURN`,
    ]);
    expect(rows.every((r) => r.recipient === due.email && r.locale === "fr")).toBe(true);
    for (const other of [cancelled, pending, lastMinute]) {
      expect(rows.some((r) => r.bookingId === other.id)).toBe(false);
    }
    const jobs = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'send_email'`,
    );
    expect(jobs[0]!.n).toBe(2);
  });
});
