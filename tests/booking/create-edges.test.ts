import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import { VEHICLE_TYPES } from "@/shared/constants";
import type { CreateBookingInput } from "@/server/features/booking/input";
import {
  adult,
  bookingInput,
  bookingStackForFile,
  inventoryOf,
  leaveOnly,
  nextSailing,
} from "../helpers/booking-stack";
import { holdRowLocks, waitForLockWait } from "../helpers/pause";
import { svcAt } from "../helpers/services";

/**
 * `createBooking`'s own edges: a booking reference that is already taken (40 random bits collide
 * rarely, not never) is replaced, a bounded number of times, and only for that collision; and a sailing
 * id that is no sailing id is refused naming the leg it came in.
 *
 * The collision is PostgreSQL's own: a trigger on this file's database raises the unique violation of
 * `bookings_reference` for the next `k` booking inserts, and a sequence (which a rollback does not undo)
 * counts every attempt.
 */
const s = bookingStackForFile({ days: 10 }, async () => {
  await s.t.sql.unsafe(`
    create sequence test_booking_inserts;
    create sequence test_last_reference;
    create sequence test_repeated_references;
    create table test_collide_until (n bigint not null);
    insert into test_collide_until values (0);
    create function test_collide() returns trigger language plpgsql as $$
    declare h bigint := abs(hashtext(new.reference)::bigint) + 1;
    begin
      -- An attempt under the same reference as the one before (sequences survive the rollback).
      if h = (select last_value from test_last_reference) then perform nextval('test_repeated_references'); end if;
      perform setval('test_last_reference', h);
      if nextval('test_booking_inserts') <= (select n from test_collide_until) then
        raise exception 'duplicate key value violates unique constraint "bookings_reference"'
          using errcode = 'unique_violation', constraint = 'bookings_reference', table = 'bookings';
      end if;
      return new;
    end $$;
    create trigger test_collide before insert on bookings for each row execute function test_collide();`);
});

/** The next `k` booking inserts collide; returns a function giving the attempts made since. */
async function collideNext(k: number) {
  const [{ last }] = (await s.t.sql`
    select case when is_called then last_value else last_value - 1 end::int as last
    from test_booking_inserts`) as unknown as [{ last: number }];
  await s.t.sql`update test_collide_until set n = ${last + k}`;
  return async () => {
    const [{ now }] = (await s.t.sql`
      select case when is_called then last_value else last_value - 1 end::int as now
      from test_booking_inserts`) as unknown as [{ now: number }];
    return now - last;
  };
}

const repeats = async () =>
  (
    (await s.t.sql`
      select case when is_called then last_value else 0 end::int as n from test_repeated_references`) as unknown as [
      { n: number },
    ]
  )[0].n;

let n = 0;
async function input(over: Partial<CreateBookingInput> = {}, daysAhead = 3) {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", daysAhead);
  return {
    sailingId: sailing.id,
    input: bookingInput(sailing.id, {
      passengers: [adult(i)],
      contact: { email: `edges${i}@example.com` },
      ...over,
    }),
  };
}
const heldDeck = async (sailingId: number) => (await inventoryOf(s.t, sailingId, "DECK")).held;
const rowsOf = (email: string) => s.t.db.select().from(bookings).where(eq(bookings.contactEmail, email));

describe("a booking reference that is already taken", () => {
  it("is replaced by a fresh one, and the booking holds its places once", async () => {
    const { sailingId, input: one } = await input();
    const before = await heldDeck(sailingId);
    const attempts = await collideNext(2);
    const repeatsBefore = await repeats();
    const r = await createBooking(s.svc, one);
    expect(await attempts()).toBe(3);
    // Each attempt under a reference of its own.
    expect(await repeats()).toBe(repeatsBefore);
    expect(await heldDeck(sailingId)).toBe(before + 1);
    const rows = await rowsOf(one.contact.email);
    expect(rows.map((b) => b.reference)).toEqual([r.reference]);
  });

  it("is tried four times in all, then the error surfaces and nothing is held", async () => {
    const { sailingId, input: again } = await input();
    const before = await heldDeck(sailingId);
    const attempts = await collideNext(100);
    await expect(createBooking(s.svc, again)).rejects.toMatchObject({
      cause: { code: "23505", constraint_name: "bookings_reference" },
    });
    expect(await attempts()).toBe(4);
    expect(await heldDeck(sailingId)).toBe(before);
    expect(await rowsOf(again.contact.email)).toHaveLength(0);
    await collideNext(0);
  });

  it("any other failure is not retried under a new reference", async () => {
    const { sailingId, input: short } = await input();
    await leaveOnly(s.t, sailingId, "DECK", 0);
    const attempts = await collideNext(0);
    await expect(createBooking(s.svc, short)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await attempts()).toBe(1);
  });
});

describe("the party and the vehicle, checked before anything is held", () => {
  it("a vehicle higher or longer than its class allows", async () => {
    const { sailingId, input: car } = await input({
      vehicle: { type: "car", registration: "123 TU 4567", heightCm: VEHICLE_TYPES.car.maxHeightCm + 1 },
    });
    const before = await heldDeck(sailingId);
    await expect(createBooking(s.svc, car)).rejects.toMatchObject({
      details: { reason: "VEHICLE_CLASS", field: "vehicle" },
      message: expect.stringContaining("Choose the larger vehicle class"),
    });
    expect(await heldDeck(sailingId)).toBe(before);
    expect(await rowsOf(car.contact.email)).toHaveLength(0);
  });

  it("an international crossing without a passport or ID number", async () => {
    const { documentNumber: _, ...noDocument } = adult(900);
    const { sailingId, input: trip } = await input({ passengers: [noDocument] });
    const before = await heldDeck(sailingId);
    await expect(createBooking(s.svc, trip)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("this crossing is international"),
      details: { field: "passengers.0" },
    });
    expect(await heldDeck(sailingId)).toBe(before);
  });
});

describe("an own sailing no longer on sale", () => {
  it("is refused within the hour before it leaves, naming the leg, and nothing is held", async () => {
    const { sailingId, input: late } = await input({}, 5);
    const [sailing] = await s.t.db.select().from(sailings).where(eq(sailings.id, sailingId));
    const before = await heldDeck(sailingId);
    const at = (msBefore: number) => svcAt(s.svc, new Date(sailing!.departureAt.getTime() - msBefore));
    await expect(createBooking(at(60 * 60_000), late)).rejects.toMatchObject({
      message: "The outbound sailing has departed or closes for sale within the hour. Choose a later one.",
      details: { reason: "SALES_CLOSED", field: "outbound" },
    });
    expect(await heldDeck(sailingId)).toBe(before);
    expect(await rowsOf(late.contact.email)).toHaveLength(0);
    await expect(createBooking(at(60 * 60_000 + 1), late)).resolves.toMatchObject({
      status: "PENDING_PAYMENT",
    });
  });
});

describe("a sailing cancelled while the booking is being made", () => {
  it("is seen under the sailing's lock: the booking is refused and holds nothing", async () => {
    const { sailingId, input: racing } = await input({}, 6);
    const before = await heldDeck(sailingId);
    // The admin's cancellation: the sailing row locked first, then changed and committed.
    const admin = await holdRowLocks(
      s.t,
      (tx) => tx`select 1 from sailings where id = ${sailingId} for update`,
      (tx) => tx`update sailings set status = 'CANCELLED' where id = ${sailingId}`,
    );
    // The booking's first check still sees the sailing scheduled; it then waits for the row's lock.
    const creating = createBooking(s.svc, racing).catch((e: unknown) => e);
    await waitForLockWait(s.t, "createBooking to wait for the sailing's lock", { query: "for share" });
    await admin.release();
    expect(await creating).toMatchObject({
      message: "This sailing has just been cancelled. Choose another sailing.",
      details: { reason: "SAILING_CANCELLED" },
    });
    expect(await heldDeck(sailingId)).toBe(before);
    expect(await rowsOf(racing.contact.email)).toHaveLength(0);
  });
});

describe("a sailing id that is no sailing id", () => {
  it("is refused, naming the leg", async () => {
    const { sailingId } = await input();
    const bad = "not-a-sailing" as unknown as number;
    await expect(createBooking(s.svc, bookingInput(bad))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Choose a sailing.",
      details: { field: "outbound" },
    });
    const withBadReturn = bookingInput(sailingId, { return: { sailingId: bad, accommodation: "DECK" } });
    await expect(createBooking(s.svc, withBadReturn)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Choose a sailing.",
      details: { field: "return" },
    });
  });
});
