import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allInvariants } from "./lib/invariants";
import { startLoad } from "./lib/load";
import { pollUntil, sleep } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import {
  bookableSailings,
  bookingInput,
  createBookings,
  payOnStripe,
  type SearchInput,
  searchInputs,
  statuses,
  trpcGet,
  trpcPost,
} from "./lib/traverse";

/**
 * PostgreSQL is shut down (fast shutdown, as a managed database's restart does) while
 * travellers search and book, then started again. The app and the worker must reconnect by themselves;
 * requests during the outage fail quickly with a 503 and a message a person understands (never a 500,
 * never a hang); and nothing is half-written.
 */
const SCENARIO = "pg-restart";
const REQUEST_TIMEOUT_MS = 15_000;

describe("PostgreSQL restarted during load", () => {
  let stack: FaultStack;
  let searches: SearchInput[];
  let sailings: number[];

  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(SCENARIO);
    searches = await searchInputs(stack.sql);
    sailings = await bookableSailings(stack.sql);
    record(SCENARIO, "stack up", { ms: t() });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("answers 503 during the outage, recovers by itself and leaves nothing half-written", async () => {
    const load = startLoad({
      concurrency: 6,
      durationMs: 60_000,
      maxRequests: 20_000,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      thinkMs: 20,
      label: (i) => (i % 3 === 0 ? "booking.create" : "search.sailings"),
      request: async (i, signal) => {
        // One request in three books (a transaction across bookings, holds and inventory).
        const r =
          i % 3 === 0
            ? await trpcPost(
                stack.appUrl,
                "booking.create",
                bookingInput(sailings[i % sailings.length]!, i, "pg"),
                signal,
              )
            : await trpcGet(stack.appUrl, "search.sailings", searches[i % searches.length], signal);
        return { status: r.status, detail: r.message ?? r.raw ?? "" };
      },
    });

    const outage = { start: 0, stopped: 0, end: 0 };
    try {
      // Pacing, not synchronisation: seconds of normal traffic before the outage, for the latency record.
      await sleep(4_000);
      const t = timer();
      outage.start = Date.now();
      await stack.pg.stop();
      outage.stopped = Date.now();
      const h503 = await pollUntil(stack.health, (h) => h.status === 503, {
        what: "/api/health to answer 503 while PostgreSQL is down",
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      record(SCENARIO, "postgres stopped", {
        stopMs: t(),
        healthSays: h503.value.body,
        healthStatus: h503.value.status,
      });
      expect(h503.value.status, "/api/health must answer 503 while the database is down").toBe(503);
      expect(h503.value.body?.db).toBe("down");

      // Pacing: the outage lasts this long under load (health already said 503 above).
      await sleep(6_000);
      await stack.pg.start();
      outage.end = Date.now();
      const back = await pollUntil(stack.health, (h) => h.status === 200, {
        what: () =>
          `/api/health to answer 200 once PostgreSQL is back (the app must reconnect by itself):\n${stack.app.lastLines(10)}`,
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      record(SCENARIO, "postgres started", {
        outageMs: outage.end - outage.start,
        appHealthyAfterMs: back.ms,
      });
      expect(back.value.status, "the app must reconnect by itself").toBe(200);
      // Pacing: traffic after the recovery, where a late 503 would show a connection never re-made.
      await sleep(4_000);
    } finally {
      load.stop();
    }
    const result = await load.done;
    record(SCENARIO, "load", {
      requests: result.outcomes.length,
      byStatus: result.byStatus,
      p50: result.p50,
      p95: result.p95,
      max: result.max,
    });

    // Nothing but 200 (or a sold-out 409) outside the outage; 503 with a readable message inside it.
    const bad = result.outcomes
      .filter((o) => o.status !== 200 && o.status !== 503 && o.status !== 409)
      .map((o) => ({
        ...o,
        sinceStopCall: o.at - outage.start,
        sinceStopped: o.at - outage.stopped,
        sinceStart: o.at - outage.end,
      }));
    // Soft: a hang here should not hide whether the rest (reconnect, invariants) holds.
    expect
      .soft(
        bad.slice(0, 5),
        `${bad.length} requests got neither 200 nor 503 (500s or hangs); outage ${outage.end - outage.start} ms\n${stack.app.lastLines(20)}`,
      )
      .toEqual([]);
    const unavailable = result.outcomes.filter((o) => o.status === 503);
    expect(unavailable.length, "the load never hit the outage").toBeGreaterThan(0);
    for (const o of unavailable) {
      expect(o.detail, "a 503 must say what happened in words").toMatch(/unavailable|try again/i);
      expect(o.detail).not.toMatch(/ at .*\.(ts|js):\d+|ECONNREFUSED|postgres|select |insert /i);
    }
    const late = unavailable.filter((o) => o.at > outage.end + 10_000);
    expect(late.length, "503s long after the database was back: the app did not reconnect").toBe(0);
    // connect_timeout is 5 s: anything much slower is a request left hanging, not failing fast.
    expect.soft(result.max, "a request hung during the outage").toBeLessThan(10_000);

    // The worker must have reconnected too: alive, heart beating, and processing payments again.
    expect(stack.worker.running, `the worker died with the database:\n${stack.worker.lastLines()}`).toBe(
      true,
    );
    const beat = await pollUntil(
      async () => (await stack.health()).body?.worker.lastSeenSecondsAgo ?? null,
      (s) => s !== null && s <= 6,
      { what: "a worker heartbeat at most 6 s old after the restart", timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(beat.value, "no worker heartbeat since the restart").not.toBeNull();
    expect(beat.value!).toBeLessThanOrEqual(6);
    const after = await createBookings(stack, 3, "pg-after");
    for (const b of after) await payOnStripe(stack, b.sessionId!);
    const refs = after.map((b) => b.reference);
    const confirmed = await pollUntil(
      () => statuses(stack.sql, refs),
      (s) => s.CONFIRMED === refs.length,
      {
        what: () =>
          `payments after the restart confirmed (the worker must process jobs again):\n${stack.worker.lastLines()}`,
        timeoutMs: 30_000,
        intervalMs: 300,
      },
    );
    record(SCENARIO, "payments after restart", { confirmed: confirmed.value, ms: confirmed.ms });
    expect(
      confirmed.value,
      `the worker does not process jobs after the restart:\n${stack.worker.lastLines()}`,
    ).toEqual({
      CONFIRMED: refs.length,
    });

    const inv = await allInvariants(stack.sql);
    expect(inv).toEqual({
      halfWritten: [],
      inventory: [],
      confirmedWithoutOnePayment: [],
      confirmationOutbox: [],
    });
  });
});
