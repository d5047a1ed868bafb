import { readdirSync, readFileSync } from "node:fs";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookingLegs, bookings, priceLines } from "@/server/db/schema/bookings";
import { createBooking } from "@/server/features/booking/create";
import { pgErrorCode } from "@/server/lib/errors";
import { newBookingReference } from "@/server/lib/reference";
import { adult, bookingInput, bookingStackForFile, nextSailing } from "../helpers/booking-stack";

/**
 * Price lines say what they charge for as codes (`kind`, passenger type, accommodation, vehicle class), so
 * pages and emails label them in their own language instead of reading the English description.
 */
const s = bookingStackForFile();

const codesOf = (bookingId: string) =>
  s.t.db
    .select({
      direction: priceLines.direction,
      kind: priceLines.kind,
      passengerType: priceLines.passengerType,
      accommodation: priceLines.accommodation,
      vehicleType: priceLines.vehicleType,
      description: priceLines.description,
    })
    .from(priceLines)
    .where(eq(priceLines.bookingId, bookingId))
    .orderBy(asc(priceLines.id));

async function aBooking(): Promise<string> {
  const reference = newBookingReference();
  const sailing = await nextSailing(s.t, "TUN", "MRS");
  const [b] = await s.t.db
    .insert(bookings)
    .values({
      reference,
      contactEmail: "lines@example.com",
      totalAmount: 0,
      currency: "EUR",
      holdExpiresAt: new Date(),
    })
    .returning({ id: bookings.id });
  await s.t.db.insert(bookingLegs).values({
    bookingId: b!.id,
    direction: "OUTBOUND",
    sailingId: sailing.id,
    accommodation: "CABIN_INSIDE",
  });
  return b!.id;
}

describe("price line kinds", () => {
  it("createBooking stores every line's kind and codes", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS");
    const born = `${sailing.departureAt.getUTCFullYear() - 2}-06-01`;
    const created = await createBooking(
      s.svc,
      bookingInput(sailing.id, {
        outbound: { sailingId: sailing.id, accommodation: "SEAT" },
        passengers: [
          adult(1),
          {
            type: "infant",
            firstName: "Lina",
            lastName: "Ben Salah",
            dateOfBirth: born,
            nationality: "TN",
            documentNumber: "I300001",
          },
        ],
        vehicle: { type: "high_car", registration: "123 TU 4567" },
        pets: 1,
        contact: { email: "kinds@example.com" },
      }),
    );
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, created.reference));
    expect(await codesOf(b!.id)).toEqual([
      {
        direction: "OUTBOUND",
        kind: "PASSENGER",
        passengerType: "adult",
        accommodation: "SEAT",
        vehicleType: null,
        description: "Adult · Reclining seat",
      },
      {
        direction: "OUTBOUND",
        kind: "PASSENGER",
        passengerType: "infant",
        accommodation: "SEAT",
        vehicleType: null,
        description: "Infant (0–3) · Reclining seat",
      },
      {
        direction: "OUTBOUND",
        kind: "VEHICLE",
        passengerType: null,
        accommodation: null,
        vehicleType: "high_car",
        description: "Vehicle · high car",
      },
      {
        direction: "OUTBOUND",
        kind: "PET",
        passengerType: null,
        accommodation: null,
        vehicleType: null,
        description: "Pet (kennel)",
      },
    ]);
  });

  it("the database refuses a line whose codes do not fit its kind", async () => {
    const bookingId = await aBooking();
    const line = {
      bookingId,
      direction: "OUTBOUND" as const,
      description: "x",
      quantity: 1,
      unitAmount: 100,
      amount: 100,
      currency: "EUR",
    };
    const refused = (values: Record<string, unknown>) =>
      s.t.db
        .insert(priceLines)
        .values({ ...line, ...values } as never)
        .then(
          () => "inserted",
          (e: unknown) => pgErrorCode(e),
        );
    expect(await refused({ kind: "PASSENGER", passengerType: "adult" })).toBe("23514");
    expect(
      await refused({ kind: "VEHICLE", passengerType: "adult", accommodation: "DECK", vehicleType: "car" }),
    ).toBe("23514");
    expect(await refused({ kind: "PET", vehicleType: "car" })).toBe("23514");
    expect(await refused({ kind: "DISCOUNT" })).toBe("23514");
    expect(await refused({ kind: "FEE", vehicleType: "car" })).toBe("23514");
    expect(await refused({ kind: "PASSENGER", passengerType: "adult", accommodation: "SUITE" })).toBe(
      "23514",
    );
    expect(await refused({ kind: "VEHICLE", vehicleType: "car" })).toBe("inserted");
    expect(await refused({ kind: "FEE" })).toBe("inserted");
  });

  it("the migration labels lines written before kinds existed from their description and leg", async () => {
    const bookingId = await aBooking();
    // The table as it was: no kind yet on these rows.
    await s.t.sql.unsafe(`alter table price_lines alter column kind drop not null`);
    const old = (description: string) => ({
      bookingId,
      direction: "OUTBOUND" as const,
      description,
      quantity: 1,
      unitAmount: 100,
      amount: 100,
      currency: "EUR",
    });
    await s.t.db
      .insert(priceLines)
      .values(
        [
          "Adult · Inside cabin",
          "Child (4–11) · Inside cabin",
          "Infant (0–3) · Inside cabin",
          "Vehicle · high car",
          "Vehicle · camper",
          "Pet (kennel)",
        ].map((d) => old(d) as never),
      );
    // Found by name, not number, so the test survives the migration being renumbered.
    const file = readdirSync("drizzle").find((f) => f.endsWith("_price-line-kind.sql"));
    const migration = readFileSync(`drizzle/${file}`, "utf8");
    const handWritten = migration.slice(migration.indexOf("-- hand-written:"));
    for (const statement of handWritten.split("--> statement-breakpoint")) await s.t.sql.unsafe(statement);

    expect((await codesOf(bookingId)).map(({ description: _, direction: __, ...codes }) => codes)).toEqual([
      { kind: "PASSENGER", passengerType: "adult", accommodation: "CABIN_INSIDE", vehicleType: null },
      { kind: "PASSENGER", passengerType: "child", accommodation: "CABIN_INSIDE", vehicleType: null },
      { kind: "PASSENGER", passengerType: "infant", accommodation: "CABIN_INSIDE", vehicleType: null },
      { kind: "VEHICLE", passengerType: null, accommodation: null, vehicleType: "high_car" },
      { kind: "VEHICLE", passengerType: null, accommodation: null, vehicleType: "camper" },
      { kind: "PET", passengerType: null, accommodation: null, vehicleType: null },
    ]);
    const [column] = await s.t.sql<{ is_nullable: string }[]>`
      select is_nullable from information_schema.columns where table_name = 'price_lines' and column_name = 'kind'`;
    expect(column!.is_nullable).toBe("NO");
  });
});
