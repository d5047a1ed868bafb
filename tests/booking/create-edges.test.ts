import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import * as reference from "@/server/lib/reference";
import {
  adult,
  bookingInput,
  bookingStackForFile,
  inventoryOf,
  leaveOnly,
  nextSailing,
} from "../helpers/booking-stack";

/**
 * `createBooking`'s own edges: a booking reference that is already taken (40 random bits collide
 * rarely, not never) is replaced, a bounded number of times, and only for that collision; and a sailing
 * id that is no sailing id is refused naming the leg it came in.
 */
vi.mock("@/server/lib/reference", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/lib/reference")>();
  return { ...real, newBookingReference: vi.fn(real.newBookingReference) };
});
const newReference = vi.mocked(reference.newBookingReference);
const s = bookingStackForFile({ days: 10 });
afterEach(() => newReference.mockReset());

let n = 0;
async function input(over: Partial<CreateBookingInput> = {}) {
  const i = ++n;
  const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
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
const real = () => `TRV-${String(++n).padStart(8, "0")}`;

describe("a booking reference that is already taken", () => {
  it("is replaced by a fresh one, and the booking holds its places once", async () => {
    const first = await input();
    newReference.mockReturnValueOnce("TRV-TAKEN001");
    await createBooking(s.svc, first.input);
    newReference.mockClear();
    const { sailingId, input: second } = await input();
    const before = await heldDeck(sailingId);
    const fresh = real();
    newReference.mockReturnValueOnce("TRV-TAKEN001").mockReturnValueOnce(fresh);
    const r = await createBooking(s.svc, second);
    expect(r.reference).toBe(fresh);
    expect(newReference).toHaveBeenCalledTimes(2);
    expect(await heldDeck(sailingId)).toBe(before + 1);
    const [row] = await s.t.db.select().from(bookings).where(eq(bookings.reference, fresh));
    expect(row!.contactEmail).toBe(second.contact.email);
  });

  it("is tried four times in all, then the error surfaces and nothing is held", async () => {
    const { sailingId, input: again } = await input();
    const before = await heldDeck(sailingId);
    newReference.mockReturnValue("TRV-TAKEN001");
    await expect(createBooking(s.svc, again)).rejects.toMatchObject({
      cause: { code: "23505", constraint_name: "bookings_reference" },
    });
    expect(newReference).toHaveBeenCalledTimes(4);
    expect(await heldDeck(sailingId)).toBe(before);
    expect(
      await s.t.db.select().from(bookings).where(eq(bookings.contactEmail, again.contact.email)),
    ).toHaveLength(0);
  });

  it("any other failure is not retried under a new reference", async () => {
    const { sailingId, input: short } = await input();
    await leaveOnly(s.t, sailingId, "DECK", 0);
    await expect(createBooking(s.svc, short)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(newReference).toHaveBeenCalledTimes(1);
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
