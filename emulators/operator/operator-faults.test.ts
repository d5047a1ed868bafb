// Rate limit, latency, hang, down, fail-next (before and after the operation takes effect), the call
// counts and reset.
import { describe, expect, it } from "vitest";
import type { CallRecord } from "./api";
import { TokenBucketLimiter } from "./rate-limiter";
import { startOperatorEmulator } from "./server";
import {
  call,
  control,
  errorOf,
  freeOn,
  quoteAndBook,
  SAILING,
  emulatorForFile,
  startTestEmulator,
  T0,
  waitFor,
} from "./test-support";
import type { BookingResponse, BookingView } from "./types";

const emu = emulatorForFile();

type Calls = { total: number; operations: Record<string, number>; log: CallRecord[] };

describe("rate limit", () => {
  it("is a token bucket: a burst, then one token per 1/rate seconds", () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perSecond: 20, burst: 20 }, () => now);
    const first = Array.from({ length: 25 }, () => limiter.take("k"));
    expect(first.filter((d) => d.allowed)).toHaveLength(20);
    expect(first[20]!.headers["retry-after"]).toBe("1");
    expect(limiter.take("other").allowed).toBe(true);
    now = 49;
    expect(limiter.take("k").allowed).toBe(false);
    now = 50;
    expect(limiter.take("k").allowed).toBe(true);
    now = 10_000;
    expect(Array.from({ length: 21 }, () => limiter.take("k")).filter((d) => d.allowed)).toHaveLength(20);
  });

  it("answers exactly the burst, then 429 with retry-after and a JSON error, per key", async () => {
    // One token per 10 s: nothing refills during the test, so the outcome is exact however slow the machine.
    const limited = await startTestEmulator({ rateLimit: { perSecond: 0.1, burst: 5 } });
    try {
      const replies = await Promise.all(Array.from({ length: 8 }, () => call(limited, "GetRoutes")));
      expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const refused = replies.find((r) => r.status === 429)!;
      expect(errorOf(refused).code).toBe("RATE_LIMITED");
      expect(refused.headers.get("retry-after")).toBe("10");
      expect(refused.headers.get("ratelimit-remaining")).toBe("0");
      expect((await call(limited, "GetRoutes", {}, "another-key")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("limits to 20 requests a second by default, and a client that waits retry-after gets through", async () => {
    const limited = await startOperatorEmulator({ code: "GNV", latency: null, now: () => T0 });
    try {
      const started = performance.now();
      const replies = await Promise.all(Array.from({ length: 30 }, () => call(limited, "GetRoutes")));
      const elapsed = performance.now() - started;
      const ok = replies.filter((r) => r.status === 200).length;
      // 20 at once, plus at most the tokens refilled while the burst was arriving.
      expect(ok).toBeGreaterThanOrEqual(20);
      expect(ok).toBeLessThanOrEqual(20 + Math.ceil((elapsed * 20) / 1000));
      expect(replies[0]!.headers.get("ratelimit-limit")).toBe("20");
      const deadline = Date.now() + 3_000;
      let after = await call(limited, "GetRoutes");
      while (after.status === 429 && Date.now() < deadline) {
        expect(after.headers.get("retry-after")).toBe("1");
        await new Promise((r) => setTimeout(r, 1000));
        after = await call(limited, "GetRoutes");
      }
      expect(after.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("latency", () => {
  it("delays each call by 300–1200 ms by default, and the answer really waits that long", async () => {
    const slow = await startOperatorEmulator({ code: "GNV", rateLimit: null, now: () => T0 });
    try {
      const timed = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const started = performance.now();
          await call(slow, "GetRoutes");
          return performance.now() - started;
        }),
      );
      const log = (await control<Calls>(slow, "calls")).body.log;
      const latencies = log.map((r) => r.latencyMs);
      expect(latencies).toHaveLength(6);
      for (const ms of latencies) {
        expect(ms).toBeGreaterThanOrEqual(300);
        expect(ms).toBeLessThanOrEqual(1_200);
      }
      expect(new Set(latencies).size).toBeGreaterThan(1);
      expect(Math.min(...timed)).toBeGreaterThanOrEqual(Math.min(...latencies) - 5);
      for (const r of log) expect(r.durationMs).toBeGreaterThanOrEqual(r.latencyMs - 2);
    } finally {
      await slow.close();
    }
  });

  it("draws the same delays for the same seed, others for another seed", async () => {
    const sequence = async (seed: number) => {
      const e = await startTestEmulator({ seed, latency: { minMs: 0, maxMs: 40 } });
      try {
        for (let i = 0; i < 8; i++) await call(e, "GetRoutes");
        return (await control<Calls>(e, "calls")).body.log.map((r) => r.latencyMs);
      } finally {
        await e.close();
      }
    };
    const a = await sequence(7);
    expect(await sequence(7)).toEqual(a);
    expect(await sequence(8)).not.toEqual(a);
  });

  it("can be set through the control API and is restored by reset", async () => {
    expect((await control(emu, "latency", { minMs: 150, maxMs: 150 })).status).toBe(200);
    const started = performance.now();
    await call(emu, "GetRoutes");
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect((await control(emu, "latency", { minMs: 10, maxMs: 5 })).status).toBe(400);
    await control(emu, "reset", {});
    expect((await control<{ latency: unknown }>(emu, "status")).body.latency).toBeNull();
  });
});

describe("hang and down", () => {
  it("holds calls to the hung operation without answer, others go through", async () => {
    await control(emu, "hang", { seconds: 30, operation: "sailings" });
    const timedOut = fetch(`${emu.url}/ferrygateway/v1/GetSailings`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: JSON.stringify({ from: "TUN", to: "GOA", date: "2026-12-10", passengers: { adults: 1 } }),
      signal: AbortSignal.timeout(200),
    });
    await expect(timedOut).rejects.toThrow(/aborted|timeout/i);
    expect((await call(emu, "GetRoutes")).status).toBe(200);
    // A held call is answered once the hang ends.
    const held = call(emu, "GetServices", { sailingId: SAILING });
    await control(emu, "hang", { seconds: 30 });
    const pending = call(emu, "GetServices", { sailingId: SAILING });
    await control(emu, "hang", { seconds: 0 });
    expect((await held).status).toBe(200);
    expect((await pending).status).toBe(200);
  });

  it("lets a forced interleaving happen: a held Book meets a sailing cancelled meanwhile", async () => {
    await control(emu, "hang", { seconds: 30, operation: "book" });
    const booking = quoteAndBook(emu, "TRV-HELD");
    await waitFor(() => emu.calls().operations.Book === 1);
    await control(emu, "cancel-sailing", { sailingId: SAILING });
    await control(emu, "hang", { seconds: 0 });
    const reply = await booking;
    expect(reply.status).toBe(409);
    expect(errorOf(reply).code).toBe("SAILING_CANCELLED");
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toEqual([]);
  });

  it("answers 503 with retry-after while down, and recovers when the outage ends", async () => {
    const down = await control<{ downUntil: string }>(emu, "down", { seconds: 30 });
    expect(Date.parse(down.body.downUntil)).toBeGreaterThan(Date.now() + 29_000);
    const reply = await call(emu, "GetRoutes");
    expect(reply.status).toBe(503);
    expect(errorOf(reply).code).toBe("SERVICE_UNAVAILABLE");
    expect(Number(reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect((await control(emu, "calls")).status).toBe(200);
    await control(emu, "down", { seconds: 0 });
    expect((await call(emu, "GetRoutes")).status).toBe(200);
  });
});

describe("fail-next", () => {
  it("fails the next calls of one operation before they take effect", async () => {
    const set = await control(emu, "fail-next", { operation: "book", count: 2, status: 503 });
    expect(set.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const failed = await quoteAndBook(emu, "TRV-FAILS");
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("1");
    }
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toEqual([]);
    expect((await quoteAndBook(emu, "TRV-FAILS")).status).toBe(201);
    expect(emu.calls().operations).toMatchObject({ Book: 3, GetPrice: 3 });
  });

  it("can fail after the booking was taken, so only RecallBooking reveals it", async () => {
    await control(emu, "fail-next", { operation: "Book", status: 504, phase: "after" });
    const lost = await quoteAndBook(emu, "TRV-LOST");
    expect(lost.status).toBe(504);
    expect(errorOf(lost).code).toBe("GATEWAY_TIMEOUT");
    const found = await call<BookingResponse>(emu, "RecallBooking", { agentReference: "TRV-LOST" });
    expect(found.body.booking.status).toBe("PROVISIONAL");
    const retry = await quoteAndBook(emu, "TRV-LOST");
    expect(retry.status).toBe(200);
    expect(retry.body.booking.operatorReference).toBe(found.body.booking.operatorReference);
  });

  it("can drop the connection, before or after the operation", async () => {
    await quoteAndBook(emu, "TRV-DROP");
    await control(emu, "fail-next", { operation: "confirm", status: "drop", phase: "after" });
    await expect(call(emu, "ConfirmBooking", { agentReference: "TRV-DROP" })).rejects.toThrow(/fetch failed/);
    const { body } = await control<{ bookings: BookingView[] }>(emu, "bookings");
    expect(body.bookings[0]!.status).toBe("CONFIRMED");
    expect(emu.calls().log.at(-1)).toMatchObject({ operation: "ConfirmBooking", status: 0 });
    await control(emu, "fail-next", { operation: "*", status: "drop" });
    await expect(call(emu, "GetRoutes")).rejects.toThrow(/fetch failed/);
    expect((await call(emu, "GetRoutes")).status).toBe(200);
  });

  it("refuses a malformed fault", async () => {
    const reply = await control(emu, "fail-next", { operation: "teleport" });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toMatch(/^operation: operation must be/);
    expect((await control(emu, "fail-next", { status: 418 })).status).toBe(400);
    expect((await control(emu, "warp", {})).status).toBe(404);
  });
});

describe("calls and reset", () => {
  it("counts calls per operation, errors included, until reset", async () => {
    await call(emu, "GetSailings", { from: "TUN", to: "GOA", date: "2026-12-10", passengers: { adults: 1 } });
    await call(emu, "GetSailings", { from: "TUN", to: "GOA", date: "2026-12-10", passengers: { adults: 0 } });
    await call(emu, "GetRoutes", {}, null);
    await call(emu, "Nope");
    const { body } = await control<Calls>(emu, "calls");
    expect(body.total).toBe(4);
    expect(body.operations).toEqual({ GetSailings: 2, GetRoutes: 1, unknown: 1 });
    expect(body.log.map((r) => r.status)).toEqual([200, 400, 401, 404]);
    await control(emu, "reset", {});
    expect((await control<Calls>(emu, "calls")).body).toEqual({ total: 0, operations: {}, log: [] });
  });

  it("forgets bookings, changes, faults, fare and clock changes", async () => {
    const before = await freeOn(emu);
    await quoteAndBook(emu, "TRV-RESET");
    await control(emu, "set-fare", { sailingId: SAILING, base: 20_000 });
    await control(emu, "fail-next", { operation: "GetRoutes", count: 5 });
    await control(emu, "clock", { advanceMinutes: 90 });
    await control(emu, "down", { seconds: 60 });
    expect((await control(emu, "reset", {})).status).toBe(200);
    expect((await control<{ bookings: unknown[] }>(emu, "bookings")).body.bookings).toEqual([]);
    expect((await control<{ changes: unknown[] }>(emu, "changes")).body.changes).toEqual([]);
    expect((await control<{ now: string }>(emu, "clock")).body.now).toBe(new Date(T0).toISOString());
    expect((await call(emu, "GetRoutes")).status).toBe(200);
    expect(await freeOn(emu)).toEqual(before);
    const price = await call<{ total: { amount: number } }>(emu, "GetPrice", {
      sailingId: SAILING,
      accommodation: "DECK",
      passengers: { adults: 1 },
    });
    expect(price.body.total.amount).toBe(15_900);
  });
});
