import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { fares } from "@/server/db/schema/fares";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { pgErrorCode } from "@/server/lib/errors";
import { createTestDb, type TestDb } from "./helpers/db";

let t: TestDb;
let sailingId: number;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 7, devAdmin: null });
  const [s] = await t.db.select().from(sailings).limit(1);
  sailingId = s!.id;
});
afterAll(() => t.destroy());

async function pgError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return pgErrorCode(e);
  }
  return undefined;
}

const booking = (reference: string) => ({
  reference,
  contactEmail: "a@example.com",
  totalAmount: 1000,
  currency: "EUR",
  holdExpiresAt: new Date(),
});

describe("database invariants", () => {
  it("refuses a negative held count", async () => {
    const code = await pgError(
      t.db
        .update(inventory)
        .set({ held: -1 })
        .where(sql`${inventory.sailingId} = ${sailingId} and resource = 'DECK'`),
    );
    expect(code).toBe("23514"); // check_violation
  });

  it("refuses held + sold above capacity, and accepts exactly capacity", async () => {
    const where = sql`${inventory.sailingId} = ${sailingId} and resource = 'KENNEL'`;
    const [row] = await t.db.select().from(inventory).where(where);
    expect(row!.capacity).toBeGreaterThan(0);
    expect(await pgError(t.db.update(inventory).set({ held: row!.capacity, sold: 1 }).where(where))).toBe(
      "23514",
    );
    expect(
      await pgError(
        t.db
          .update(inventory)
          .set({ held: row!.capacity - 1, sold: 1 })
          .where(where),
      ),
    ).toBeUndefined();
    await t.db.update(inventory).set({ held: 0, sold: 0 }).where(where);
  });

  it("refuses a duplicate booking reference", async () => {
    await t.db.insert(bookings).values(booking("TRV-4K7QM9ZD"));
    expect(await pgError(t.db.insert(bookings).values(booking("TRV-4K7QM9ZD")))).toBe("23505");
  });

  it("refuses a reference outside the unambiguous alphabet, an upper-case email and an unknown status", async () => {
    expect(await pgError(t.db.insert(bookings).values(booking("TRV-ILOU1234")))).toBe("23514");
    expect(
      await pgError(t.db.insert(bookings).values({ ...booking("TRV-22222222"), contactEmail: "A@x.com" })),
    ).toBe("23514");
    expect(
      await pgError(t.db.execute(sql`update bookings set status = 'PAID' where reference = 'TRV-4K7QM9ZD'`)),
    ).toBe("23514");
  });

  it("keeps one route default per fare item (NULL sailing is not distinct)", async () => {
    const [f] = await t.db.select().from(fares).where(eq(fares.kind, "PET")).limit(1);
    const { id: _id, updatedAt: _u, ...copy } = f!;
    expect(await pgError(t.db.insert(fares).values(copy))).toBe("23505");
  });

  it("refuses a sailing that arrives before it departs", async () => {
    const [s] = await t.db.select().from(sailings).where(eq(sailings.id, sailingId));
    const code = await pgError(
      t.db.insert(sailings).values({
        routeId: s!.routeId,
        vesselId: s!.vesselId,
        departureAt: new Date("2027-06-01T10:00:00Z"),
        arrivalAt: new Date("2027-06-01T09:00:00Z"),
      }),
    );
    expect(code).toBe("23514");
  });
});
