// The change feed (order, cursors, pages, resets), what moved sailings and fare changes look like to
// an agent, and signed push notifications with retries.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { verifyOperatorSignature } from "./signature";
import {
  call,
  control,
  errorOf,
  getChanges,
  quoteAndBook,
  SAILING,
  emulatorForFile,
  startTestEmulator,
  waitFor,
} from "./test-support";
import type {
  BookingResponse,
  Change,
  GetChangesResponse,
  GetSailingsResponse,
  GetTimeTablesResponse,
} from "./types";

const emu = emulatorForFile();

/** GetSailings on TUN → GOA for one adult (and `pets` animals). */
const sailingsCall = (date: string, pets?: number) =>
  call<GetSailingsResponse>(emu, "GetSailings", {
    from: "TUN",
    to: "GOA",
    date,
    passengers: { adults: 1 },
    ...(pets === undefined ? {} : { pets }),
  });

const sailingsOn = async (date: string) => (await sailingsCall(date)).body.sailings;

describe("change feed", () => {
  it("starts empty with a cursor that later yields what happened since", async () => {
    const empty = await getChanges<GetChangesResponse>(emu);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ changes: [], hasMore: false });
    await control(emu, "set-fare", { sailingId: SAILING, base: 16_900 });
    const next = await getChanges<GetChangesResponse>(emu, `?since=${empty.body.nextCursor}`);
    expect(next.body.changes).toHaveLength(1);
    expect(next.body.changes[0]).toMatchObject({
      type: "FARE_CHANGED",
      operator: "GNV",
      from: "TUN",
      to: "GOA",
      dates: ["2026-12-10"],
      sailingId: SAILING,
      occurredAt: "2026-12-01T08:00:00.000Z",
    });
    const nothingNew = await getChanges<GetChangesResponse>(emu, `?since=${next.body.nextCursor}`);
    expect(nothingNew.body).toEqual({ changes: [], nextCursor: next.body.nextCursor, hasMore: false });
  });

  it("keeps changes in order and pages through them without gaps or repeats", async () => {
    await control(emu, "move-sailing", { sailingId: SAILING, shiftMinutes: 90 });
    await control(emu, "set-fare", {
      from: "TUN",
      to: "GOA",
      fromDate: "2026-12-01",
      toDate: "2026-12-07",
      base: 16_900,
    });
    await quoteAndBook(emu, "TRV-FEED");
    await control(emu, "cancel-sailing", { sailingId: SAILING });
    await control(emu, "set-fare", { from: "GOA", to: "TUN", fare: { kind: "pet", amount: 5_000 } });
    const all = (await control<{ changes: Change[] }>(emu, "changes")).body.changes;
    expect(all.map((c) => c.type)).toEqual([
      "SCHEDULE_CHANGED",
      "FARE_CHANGED",
      "SAILING_CANCELLED",
      "BOOKING_CANCELLED",
      "FARE_CHANGED",
    ]);
    const seen: Change[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await getChanges<GetChangesResponse>(emu, `?limit=2${cursor ? `&since=${cursor}` : ""}`);
      seen.push(...page.body.changes);
      cursor = page.body.nextCursor;
      pages++;
      if (!page.body.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    expect(new Set(seen.map((c) => c.id)).size).toBe(5);
    // Each change's own cursor resumes right after it.
    const fromSecond = await getChanges<GetChangesResponse>(emu, `?since=${all[1]!.cursor}`);
    expect(fromSecond.body.changes.map((c) => c.id)).toEqual(all.slice(2).map((c) => c.id));
  });

  it("refuses a cursor it never gave, an old one after a reset, a bad limit, and no key", async () => {
    const bad = await getChanges(emu, "?since=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe("INVALID_CURSOR");
    await control(emu, "set-fare", { sailingId: SAILING, base: 16_900 });
    const { body } = await getChanges<GetChangesResponse>(emu);
    await control(emu, "reset", {});
    const stale = await getChanges(emu, `?since=${body.nextCursor}`);
    expect(stale.status).toBe(410);
    expect(errorOf(stale).code).toBe("CURSOR_EXPIRED");
    for (const limit of ["0", "501", "ten"])
      expect((await getChanges(emu, `?limit=${limit}`)).status).toBe(400);
    expect((await getChanges(emu, "", "")).status).toBe(401);
  });
});

describe("operator changes as an agent sees them", () => {
  it("moves a sailing to another local date under the same id, bookings following", async () => {
    await quoteAndBook(emu, "TRV-MOVED");
    const { body } = await control<{ change: Change }>(emu, "move-sailing", {
      sailingId: SAILING,
      shiftMinutes: 300,
    });
    expect(body.change).toMatchObject({
      type: "SCHEDULE_CHANGED",
      sailingId: SAILING,
      dates: ["2026-12-10", "2026-12-11"],
      previous: { departureAt: "2026-12-10T19:00:00.000Z", arrivalAt: "2026-12-11T19:00:00.000Z" },
      current: { departureAt: "2026-12-11T00:00:00.000Z", arrivalAt: "2026-12-12T00:00:00.000Z" },
    });
    expect(await sailingsOn("2026-12-10")).toEqual([]);
    const moved = await sailingsOn("2026-12-11");
    expect(moved.map((s) => [s.sailingId, s.departureDate, s.departureTime])).toEqual([
      [SAILING, "2026-12-11", "01:00"],
    ]);
    const timetable = await call<GetTimeTablesResponse>(emu, "GetTimeTables", {
      from: "TUN",
      to: "GOA",
      fromDate: "2026-12-10",
      toDate: "2026-12-11",
    });
    expect(timetable.body.departures.map((d) => d.sailingId)).toEqual([SAILING]);
    const booking = await call<BookingResponse>(emu, "RecallBooking", { agentReference: "TRV-MOVED" });
    expect(booking.body.booking.sailing.departureAt).toBe("2026-12-11T00:00:00.000Z");
    expect(
      (await control(emu, "move-sailing", { sailingId: SAILING, departureAt: "2026-11-30T00:00:00Z" }))
        .status,
    ).toBe(400);
  });

  it("changes a whole route's fares, a date range's, or one fare of one sailing", async () => {
    const whole = await control<{ change: Change }>(emu, "set-fare", {
      from: "TUN",
      to: "GOA",
      base: 17_900,
    });
    // Tue/Thu/Sun over the 120-day window from Tuesday 1 December: 52 sailings.
    expect(whole.body.change.dates).toHaveLength(52);
    expect(whole.body.change.dates[0]).toBe("2026-12-01");
    expect((await sailingsOn("2027-03-28"))[0]!.classes[0]!.price.amount).toBe(17_900);

    await control(emu, "set-fare", {
      from: "TUN",
      to: "GOA",
      fromDate: "2026-12-10",
      toDate: "2026-12-12",
      base: 13_900,
    });
    expect((await sailingsOn("2026-12-10"))[0]!.classes[0]!.price.amount).toBe(13_900);
    expect((await sailingsOn("2026-12-13"))[0]!.classes[0]!.price.amount).toBe(17_900);

    const pet = await control<{ change: Change }>(emu, "set-fare", {
      sailingId: SAILING,
      fare: { kind: "pet", amount: 6_000 },
    });
    expect(pet.body.change).toMatchObject({ sailingId: SAILING, dates: ["2026-12-10"] });
    const priced = await sailingsCall("2026-12-10", 1);
    expect(priced.body.sailings[0]!.classes[0]!.price.amount).toBe(13_900 + 6_000);
    const other = await sailingsCall("2026-12-13", 1);
    expect(other.body.sailings[0]!.classes[0]!.price.amount).toBe(17_900 + 4_500);
    const refused = await control(emu, "set-fare", { sailingId: SAILING });
    expect(errorOf(refused).message).toBe("Give base, fare or both.");
  });
});

class Receiver {
  readonly received: { body: string; headers: Record<string, string | string[] | undefined>; at: number }[] =
    [];
  failuresLeft = 0;
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      this.received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        headers: req.headers,
        at: Date.now(),
      });
      res.statusCode = this.failuresLeft-- > 0 ? 500 : 200;
      res.end();
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/operators/GNV`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("push notifications", () => {
  const secret = "op_whsec_test";

  it("posts each change signed, retrying with backoff until a 2xx", async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    const pushing = await startTestEmulator({
      webhook: { url, secret, retry: { initialMs: 50, maxMs: 100 } },
    });
    try {
      receiver.failuresLeft = 2;
      const { body } = await control<{ changes: Change[] }>(pushing, "cancel-sailing", {
        sailingId: SAILING,
      });
      await waitFor(() => pushing.webhookDeliveries()[0]?.status === "delivered");
      const deliveries = pushing.webhookDeliveries();
      expect(deliveries[0]!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
      const attempts = receiver.received;
      expect(attempts).toHaveLength(3);
      expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(90);
      for (const attempt of attempts) {
        expect(attempt.headers["x-operator-change-id"]).toBe(body.changes[0]!.id);
        expect(attempt.headers["content-type"]).toBe("application/json");
        const header = attempt.headers["x-operator-signature"] as string;
        expect(verifyOperatorSignature(attempt.body, header, secret)).toMatchObject({ ok: true });
        expect(verifyOperatorSignature(attempt.body, header, "someone-else")).toEqual({
          ok: false,
          reason: "mismatch",
        });
        expect(JSON.parse(attempt.body)).toEqual(body.changes[0]);
      }
    } finally {
      await pushing.close();
      await receiver.close();
    }
  });

  it("gives up after the configured attempts, and can be pointed elsewhere at run time", async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    const pushing = await startTestEmulator({
      webhook: { url, secret, retry: { initialMs: 10, maxMs: 10, maxAttempts: 3 } },
    });
    try {
      receiver.failuresLeft = 100;
      await control(pushing, "set-fare", { sailingId: SAILING, base: 16_900 });
      await waitFor(() => pushing.webhookDeliveries()[0]?.status === "failed");
      expect(pushing.webhookDeliveries()[0]!.attempts).toHaveLength(3);
      expect((await control(pushing, "webhook", {})).status).toBe(200);
      await control(pushing, "set-fare", { sailingId: SAILING, base: 17_900 });
      expect(pushing.webhookDeliveries()).toHaveLength(1);
      expect(receiver.received).toHaveLength(3);
      expect((await control(pushing, "webhook", { url })).status).toBe(400);
    } finally {
      await pushing.close();
      await receiver.close();
    }
  });
});
