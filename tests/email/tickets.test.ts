import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { loadBooking } from "@/server/db/queries/booking";
import { BOARDING_WINDOW, checkInTicket } from "@/server/features/tickets/checkin";
import { signTicketCode, verifyTicketCode } from "@/server/features/tickets/codes";
import { signTicketLinkToken, verifyTicketLinkToken } from "@/server/features/tickets/ticket-link";
import { ticketEntries } from "@/server/features/tickets/tickets";
import { createTestDb, type TestDb } from "../helpers/db";
import { createBooking, pickSailings, type SailingPair } from "../helpers/email-fixtures";
import { svcAt, testServices } from "../helpers/services";
import type { Services } from "@/server/services";

let t: TestDb;
let svc: Services;
let pair: SailingPair;
const departures = new Map<number, Date>();

beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db });
  await seedDatabase(t.db, { today: "2027-01-04", days: 21, devAdmin: null });
  pair = await pickSailings(t.db);
  for (const id of [pair.outbound, pair.inbound]) {
    const [s] = await t.db.select().from(sailings).where(eq(sailings.id, id));
    departures.set(id, s!.departureAt);
  }
});

/** Scans `code` at the desk boarding `sailingId`, an hour before it leaves unless told otherwise. */
function scan(code: string, sailingId: number, minutesBeforeDeparture = 60) {
  const departure = departures.get(sailingId)!;
  return checkInTicket(svcAt(svc, new Date(departure.getTime() - minutesBeforeDeparture * 60_000)), {
    code,
    sailingId,
  });
}
afterAll(() => t.destroy());

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("QR codes", () => {
  const claims = { ref: "TRV-ABCD2345", passengerId: 42, direction: "OUTBOUND" as const, sailingId: 7 };

  it("verify offline with the key, and are compact", () => {
    const code = signTicketCode(claims);
    expect(code).toMatch(/^TRV1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(code.length).toBeLessThan(100);
    expect(verifyTicketCode(code)).toEqual({ ok: true, claims });
  });

  it("a tampered, re-encoded or foreign-key code fails", () => {
    const code = signTicketCode(claims);
    const [prefix, payload, mac] = code.split(".") as [string, string, string];
    // Another passenger's id with the original signature.
    const forged = `${prefix}.${b64({ r: claims.ref, p: 43, d: "O", s: 7 })}.${mac}`;
    expect(verifyTicketCode(forged)).toEqual({ ok: false, reason: "bad_signature" });
    // One flipped character in the signature.
    const flipped = `${prefix}.${payload}.${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    expect(verifyTicketCode(flipped)).toEqual({ ok: false, reason: "bad_signature" });
    // Signed with another key (another environment's tickets).
    expect(verifyTicketCode(signTicketCode(claims, "x".repeat(40)))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(verifyTicketCode("hello")).toEqual({ ok: false, reason: "malformed" });
    expect(verifyTicketCode(`${prefix}.${payload}`)).toEqual({ ok: false, reason: "malformed" });
  });

  it("a ticket-link token is not accepted as a boarding code, nor the reverse", () => {
    const token = signTicketLinkToken("6b3c1e71-c240-4ecf-8f9e-82aed43df61c", 4_000_000_000);
    expect(verifyTicketCode(`TRV1.${token}`)).toMatchObject({ ok: false });
    const code = signTicketCode(claims);
    expect(verifyTicketLinkToken(code.split(".").slice(1).join("."), new Date())).toMatchObject({
      ok: false,
    });
  });

  it("ticket links expire and cannot be altered", () => {
    const id = "6b3c1e71-c240-4ecf-8f9e-82aed43df61c";
    const token = signTicketLinkToken(id, 2_000_000_000);
    expect(verifyTicketLinkToken(token, new Date(1_900_000_000_000))).toEqual({
      ok: true,
      bookingId: id,
      exp: 2_000_000_000,
    });
    expect(verifyTicketLinkToken(token, new Date(2_100_000_000_000))).toEqual({
      ok: false,
      reason: "expired",
    });
    const [, mac] = token.split(".");
    const other = `${b64({ b: "00000000-0000-4000-8000-000000000000", e: 2_000_000_000 })}.${mac}`;
    expect(verifyTicketLinkToken(other, new Date(1_900_000_000_000))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});

describe("check-in", () => {
  it("first scan valid, second reported as already used, per passenger and leg", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound, returnSailingId: pair.inbound });
    const entries = ticketEntries((await loadBooking(t.db, { id: b.id }, "document"))!);
    expect(entries).toHaveLength(4);
    const first = await scan(entries[0]!.code, pair.outbound);
    expect(first).toMatchObject({
      result: "valid",
      reference: b.reference,
      passenger: { firstName: "Amira", lastName: "Testova" },
      leg: {
        direction: "OUTBOUND",
        sailingId: pair.outbound,
        from: "TUN",
        to: "MRS",
        timeZone: "Africa/Tunis",
      },
    });
    expect(first.checkedInAt).toBeInstanceOf(Date);
    const again = await scan(entries[0]!.code, pair.outbound, 30);
    expect(again.result).toBe("already_used");
    expect(again.checkedInAt?.getTime()).toBe(first.checkedInAt!.getTime());
    // The other passenger, and the same passenger's return leg (at its own sailing's desk), are separate tickets.
    expect((await scan(entries[1]!.code, entries[1]!.leg.sailingId)).result).toBe("valid");
    expect(entries[2]!.leg.sailingId).toBe(pair.inbound);
    expect((await scan(entries[2]!.code, pair.inbound)).result).toBe("valid");
  });

  it("two scanners racing on one ticket: exactly one valid", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const [entry] = ticketEntries((await loadBooking(t.db, { id: b.id }, "document"))!);
    const results = await Promise.all(Array.from({ length: 5 }, () => scan(entry!.code, pair.outbound)));
    expect(results.filter((r) => r.result === "valid")).toHaveLength(1);
    expect(results.filter((r) => r.result === "already_used")).toHaveLength(4);
  });

  it("tampered codes, cancelled bookings, cancelled sailings and moved legs are invalid with a reason", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound, returnSailingId: pair.inbound });
    const view = (await loadBooking(t.db, { id: b.id }, "document"))!;
    const [out, , ret] = ticketEntries(view);
    const [p, payload, mac] = out!.code.split(".");
    expect(await scan(`${p}.${payload}.${mac!.slice(0, -2)}AA`, pair.outbound)).toMatchObject({
      result: "invalid",
      reason: "bad_signature",
    });
    // Signed for a sailing the booking is not on (e.g. the booking was moved): refused.
    const moved = signTicketCode({
      ref: b.reference,
      passengerId: b.passengerIds[0]!,
      direction: "OUTBOUND",
      sailingId: pair.inbound,
    });
    expect(await scan(moved, pair.inbound)).toMatchObject({
      result: "invalid",
      reason: "ticket_superseded",
    });
    // Someone else's passenger under this reference.
    const stranger = signTicketCode({
      ref: b.reference,
      passengerId: 999_999,
      direction: "OUTBOUND",
      sailingId: pair.outbound,
    });
    expect(await scan(stranger, pair.outbound)).toMatchObject({
      result: "invalid",
      reason: "unknown_ticket",
    });

    await t.db.update(sailings).set({ status: "CANCELLED" }).where(eq(sailings.id, pair.inbound));
    expect(await scan(ret!.code, pair.inbound)).toMatchObject({
      result: "invalid",
      reason: "sailing_cancelled",
    });
    await t.db.update(sailings).set({ status: "SCHEDULED" }).where(eq(sailings.id, pair.inbound));

    await t.db.update(bookings).set({ status: "CANCELLED" }).where(eq(bookings.id, b.id));
    const cancelled = await scan(out!.code, pair.outbound);
    expect(cancelled).toMatchObject({ result: "invalid", reason: "booking_cancelled" });
    expect(cancelled.message).toContain("cancelled");
  });

  it("refuses a valid ticket at the desk of another sailing, and records nothing", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const [entry] = ticketEntries((await loadBooking(t.db, { id: b.id }, "document"))!);
    const wrong = await scan(entry!.code, pair.inbound);
    expect(wrong).toMatchObject({
      result: "invalid",
      reason: "wrong_sailing",
      message: "This ticket is for another sailing. Do not board; check the sailing shown below.",
      // The sailing the ticket IS for, so staff can redirect the traveller.
      leg: { sailingId: pair.outbound, from: "TUN", to: "MRS" },
    });
    expect(wrong.checkedInAt).toBeUndefined();
    // Nothing was recorded: at the right desk the same code is still a first scan.
    expect((await scan(entry!.code, pair.outbound)).result).toBe("valid");
  });

  it(`boards only from ${BOARDING_WINDOW.opensMinutesBefore} minutes before departure to ${BOARDING_WINDOW.closesMinutesAfter} after`, async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const [entry] = ticketEntries((await loadBooking(t.db, { id: b.id }, "document"))!);
    const code = entry!.code;
    // A day early (the right sailing, the wrong day at the quay) and a minute before the window.
    expect(await scan(code, pair.outbound, 24 * 60)).toMatchObject({
      result: "invalid",
      reason: "boarding_not_open",
    });
    expect(await scan(code, pair.outbound, BOARDING_WINDOW.opensMinutesBefore + 1)).toMatchObject({
      reason: "boarding_not_open",
      message: "Boarding has not opened: it opens 3 hours before departure.",
    });
    // A minute after the window closed, and the next day.
    expect(await scan(code, pair.outbound, -(BOARDING_WINDOW.closesMinutesAfter + 1))).toMatchObject({
      result: "invalid",
      reason: "boarding_closed",
    });
    expect(await scan(code, pair.outbound, -24 * 60)).toMatchObject({ reason: "boarding_closed" });
    // The window's edges are inside: the first moment it opens boards the passenger.
    const first = await scan(code, pair.outbound, BOARDING_WINDOW.opensMinutesBefore);
    expect(first.result).toBe("valid");
    expect(first.checkedInAt?.getTime()).toBe(
      departures.get(pair.outbound)!.getTime() - BOARDING_WINDOW.opensMinutesBefore * 60_000,
    );
    expect((await scan(code, pair.outbound, -BOARDING_WINDOW.closesMinutesAfter)).result).toBe(
      "already_used",
    );
  });
});
