import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OperatorEmulator } from "../../emulators/operator/server";
import { control, startTestEmulator } from "../../emulators/operator/test-support";
import { CallStats } from "../../src/server/features/operators/call-stats";
import type { OperatorConnector } from "../../src/server/features/operators/connector";
import {
  guardConnector,
  type OperatorCallEvent,
} from "../../src/server/features/operators/guarded-connector";
import { CircuitBreaker } from "../../src/server/lib/circuit-breaker";
import { connectorFor, failure, PARTY } from "./support";

// The breaker in front of a real operator: open after N timeouts, nothing sent while open (the
// emulator's own call counter proves it), one probe after the cooldown. The breaker's clock is moved by
// hand; only the timeouts themselves take real time (150 ms each).

let emu: OperatorEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.reset();
});

const THRESHOLD = 3;
const COOLDOWN = 30_000;

function guarded() {
  const clock = { now: Date.parse("2026-12-01T08:00:00Z") };
  const breaker = new CircuitBreaker({
    failureThreshold: THRESHOLD,
    cooldownMs: COOLDOWN,
    now: () => clock.now,
  });
  const stats = new CallStats({ now: () => clock.now });
  const events: OperatorCallEvent[] = [];
  const connector: OperatorConnector = guardConnector(connectorFor(emu, { timeoutMs: 150 }), {
    breaker,
    stats,
    now: () => clock.now,
    onCall: (e) => events.push(e),
  });
  const search = () => connector.sailings({ from: "TUN", to: "GOA" }, "2026-12-10", PARTY);
  return { clock, breaker, stats, events, connector, search };
}

async function hang<T>(run: () => Promise<T>): Promise<T> {
  await control(emu, "hang", { seconds: 30 });
  try {
    return await run();
  } finally {
    await control(emu, "hang", { seconds: 0 });
  }
}

describe("operator circuit breaker", () => {
  it("opens after N timeouts, then answers circuit_open at once without calling the operator", async () => {
    const g = guarded();
    await hang(async () => {
      for (let i = 0; i < THRESHOLD; i++) expect((await failure(g.search())).kind).toBe("timeout");
    });
    expect(g.breaker.snapshot()).toMatchObject({ status: "open", consecutiveFailures: THRESHOLD });
    expect(emu.calls().total).toBe(THRESHOLD);

    const started = performance.now();
    const e = await failure(g.search());
    expect(performance.now() - started).toBeLessThan(50);
    expect(e).toMatchObject({ kind: "circuit_open", operatorCode: "GNV", operation: "sailings" });
    expect((await failure(g.connector.hold({} as never))).kind).toBe("circuit_open");
    expect(emu.calls().total).toBe(THRESHOLD);
    expect(g.events.map((x) => x.outcome)).toEqual([
      "timeout",
      "timeout",
      "timeout",
      "circuit_open",
      "circuit_open",
    ]);
  });

  it("after the cooldown exactly one probe reaches the operator; its success closes the breaker", async () => {
    const g = guarded();
    await hang(async () => {
      for (let i = 0; i < THRESHOLD; i++) await failure(g.search());
    });
    g.clock.now += COOLDOWN;
    expect(g.breaker.snapshot().status).toBe("half-open");

    const [probe, other] = await Promise.allSettled([g.search(), g.search()]);
    expect(probe.status).toBe("fulfilled");
    expect(other.status).toBe("rejected");
    expect((other as PromiseRejectedResult).reason).toMatchObject({ kind: "circuit_open" });
    expect(emu.calls().total).toBe(THRESHOLD + 1);
    expect(g.breaker.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: 0 });

    await g.search();
    expect(emu.calls().total).toBe(THRESHOLD + 2);
  });

  it("a failed probe keeps it open for another cooldown", async () => {
    const g = guarded();
    await control(emu, "fail-next", { operation: "GetSailings", status: 503, count: THRESHOLD + 1 });
    for (let i = 0; i < THRESHOLD; i++) expect((await failure(g.search())).kind).toBe("unavailable");
    const firstOpening = g.breaker.snapshot().openedAt;
    g.clock.now += COOLDOWN;
    expect((await failure(g.search())).kind).toBe("unavailable");
    expect(g.breaker.snapshot()).toMatchObject({
      status: "open",
      openedAt: firstOpening! + COOLDOWN,
      opens: 2,
    });
    expect(emu.calls().total).toBe(THRESHOLD + 1);

    g.clock.now += COOLDOWN - 1;
    expect((await failure(g.search())).kind).toBe("circuit_open");
    expect(emu.calls().total).toBe(THRESHOLD + 1);
    g.clock.now += 1;
    await g.search();
    expect(g.breaker.snapshot().status).toBe("closed");
  });

  it("business refusals and rate limits never open it, and a refusal resets the failure count", async () => {
    const g = guarded();
    for (let i = 0; i < THRESHOLD + 2; i++) {
      const e = await failure(g.connector.recall({ agentReference: `TRV-MISSING${i}-OUT` }));
      expect(e.kind).toBe("refused");
    }
    await control(emu, "fail-next", { operation: "GetSailings", status: 429, count: THRESHOLD + 2 });
    for (let i = 0; i < THRESHOLD + 2; i++) expect((await failure(g.search())).kind).toBe("rate_limited");
    expect(g.breaker.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: 0 });

    await control(emu, "fail-next", { operation: "GetSailings", status: 503, count: THRESHOLD - 1 });
    for (let i = 0; i < THRESHOLD - 1; i++) await failure(g.search());
    await failure(g.connector.recall({ agentReference: "TRV-MISSING9-OUT" }));
    await control(emu, "fail-next", { operation: "GetSailings", status: 503, count: THRESHOLD - 1 });
    for (let i = 0; i < THRESHOLD - 1; i++) await failure(g.search());
    expect(g.breaker.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: THRESHOLD - 1 });
    expect(g.events.filter((e) => e.outcome === "refused").map((e) => e.errorCode)).toContain(
      "BOOKING_NOT_FOUND",
    );
  });

  it("a subscriber that throws does not fail the call", async () => {
    const clock = Date.parse("2026-12-01T08:00:00Z");
    const connector = guardConnector(connectorFor(emu), {
      breaker: new CircuitBreaker({ now: () => clock }),
      stats: new CallStats({ now: () => clock }),
      now: () => clock,
      onCall: () => {
        throw new Error("metrics bug");
      },
    });
    expect((await connector.routes()).operatorCode).toBe("GNV");
  });
});
