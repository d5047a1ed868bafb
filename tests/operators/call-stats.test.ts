import { describe, expect, it } from "vitest";
import { ConfigError, parseOperatorEnv } from "../../src/env";
import { CallStats, type CallOutcome, percentile } from "../../src/server/features/operators/call-stats";
import { applyMarkup } from "../../src/server/features/operators/markup";

const MINUTE = 60_000;

describe("CallStats: the last 15 minutes per operator, in bounded memory", () => {
  it("p50 and p95 by nearest rank over the calls that reached the operator", () => {
    const clock = { now: 10 * MINUTE * 100 };
    const stats = new CallStats({ now: () => clock.now });
    // 1..100 ms, shuffled so that order cannot matter.
    const durations = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    for (const d of durations)
      stats.record({ at: clock.now, operation: "sailings", outcome: "ok", durationMs: d });
    // Refused by the breaker: no latency to speak of, and not counted in it.
    for (let i = 0; i < 20; i++) {
      stats.record({ at: clock.now, operation: "sailings", outcome: "circuit_open", durationMs: 0 });
    }
    const s = stats.summary();
    expect(s.calls).toBe(120);
    expect(s.p50Ms).toBe(50);
    expect(s.p95Ms).toBe(95);
    expect(s.outcomes.circuit_open).toBe(20);
  });

  it("error rate counts calls without a usable answer; rate limits and refusals are counted apart", () => {
    const now = 5 * MINUTE;
    const stats = new CallStats({ now: () => now });
    const outcomes: CallOutcome[] = [
      ...Array<CallOutcome>(10).fill("ok"),
      ...Array<CallOutcome>(3).fill("timeout"),
      ...Array<CallOutcome>(2).fill("error"),
      ...Array<CallOutcome>(4).fill("refused"),
      ...Array<CallOutcome>(1).fill("rate_limited"),
    ];
    for (const outcome of outcomes) stats.record({ at: now, operation: "hold", outcome, durationMs: 10 });
    stats.record({ at: now, operation: "confirm", outcome: "ok", durationMs: 10 });
    const s = stats.summary();
    expect(s.calls).toBe(21);
    expect(s.errorRate).toBeCloseTo(5 / 21, 10);
    expect(s.rateLimited).toBe(1);
    expect(s.outcomes).toEqual({
      ok: 11,
      timeout: 3,
      error: 2,
      refused: 4,
      rate_limited: 1,
      circuit_open: 0,
    });
    expect(s.byOperation).toEqual({ hold: { calls: 20, failures: 5 }, confirm: { calls: 1, failures: 0 } });
  });

  it("forgets calls older than the window as the clock moves", () => {
    const clock = { now: 100 * MINUTE };
    const stats = new CallStats({ now: () => clock.now });
    stats.record({ at: clock.now, operation: "price", outcome: "timeout", durationMs: 1500 });
    clock.now += 5 * MINUTE;
    stats.record({ at: clock.now, operation: "price", outcome: "ok", durationMs: 100 });
    clock.now += 10 * MINUTE; // the first call is now exactly 15 minutes old: out
    const s = stats.summary();
    expect(s.calls).toBe(1);
    expect(s.errorRate).toBe(0);
    expect(s.p95Ms).toBe(100);
    clock.now += 5 * MINUTE;
    expect(stats.summary()).toMatchObject({ calls: 0, errorRate: null, p50Ms: null, p95Ms: null });
  });

  it("keeps at most `capacity` records and says when the window held more", () => {
    const clock = { now: 100 * MINUTE };
    const stats = new CallStats({ capacity: 100, now: () => clock.now });
    for (let i = 0; i < 10_000; i++) {
      stats.record({
        at: clock.now,
        operation: "sailings",
        outcome: i < 9_950 ? "error" : "ok",
        durationMs: i,
      });
    }
    expect(stats.size).toBe(100);
    const s = stats.summary();
    expect(s.calls).toBe(100);
    expect(s.truncated).toBe(true);
    // The latest 100 calls: 50 errors then 50 successes.
    expect(s.outcomes).toMatchObject({ error: 50, ok: 50 });
    expect(s.p50Ms).toBe(9_949);
    clock.now += 16 * MINUTE;
    stats.record({ at: clock.now, operation: "sailings", outcome: "ok", durationMs: 1 });
    expect(stats.summary()).toMatchObject({ calls: 1, truncated: false });
  });

  it("percentile of nothing is null", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.95)).toBe(7);
  });
});

describe("applyMarkup: basis points on the operator's fare, rounded half up to the cent", () => {
  it.each([
    [10_000, 800, 10_800],
    [64_400, 800, 69_552],
    [12_345, 800, 13_333], // 13332.6
    [15, 100, 15], // 15.15
    [2, 2_500, 3], // 2.5: a half goes up
    [5, 1_000, 6], // 5.5
    [1, 5_000, 2], // 1.5
    [3, 5_000, 5], // 4.5
    [0, 800, 0],
    [9_999, 0, 9_999],
  ])("%i cents + %i bps = %i", (amount, bps, expected) => {
    expect(applyMarkup(amount, bps)).toBe(expected);
  });

  it("stays exact where floating point would not", () => {
    // 50 × 1.15 = 57.49999999999999 in floating point; the exact 57.5 rounds up.
    expect(applyMarkup(50, 1_500)).toBe(58);
    expect(Math.round(50 * (1 + 1_500 / 10_000))).toBe(57);
    expect(applyMarkup(100, 50)).toBe(101);
  });

  it("refuses amounts and markups outside what the operators table allows", () => {
    expect(() => applyMarkup(-1, 800)).toThrow(RangeError);
    expect(() => applyMarkup(10.5, 800)).toThrow(RangeError);
    expect(() => applyMarkup(100, -1)).toThrow(RangeError);
    expect(() => applyMarkup(100, 5_001)).toThrow(RangeError);
    expect(() => applyMarkup(100, 12.5)).toThrow(RangeError);
  });
});

describe("operator settings from the environment", () => {
  it("reads OPERATOR_<CODE>_API_KEY and OPERATOR_<CODE>_URL for any three-letter code", () => {
    expect(
      parseOperatorEnv({
        OPERATOR_GNV_API_KEY: " key-1 ",
        OPERATOR_GRM_URL: "https://grimaldi.example/api/",
        OPERATOR_XYZ_API_KEY: "key-2",
        OPERATOR_TIMEOUT_MS: "900",
        OPERATOR_LONG_API_KEY: "ignored",
        OPERATOR_CTN_URL: "",
      }),
    ).toEqual({
      GNV: { apiKey: "key-1" },
      GRM: { url: "https://grimaldi.example/api" },
      XYZ: { apiKey: "key-2" },
    });
  });

  it("refuses a base URL that is not http(s), naming the variable", () => {
    expect(() => parseOperatorEnv({ OPERATOR_GNV_URL: "ftp://gnv.example" })).toThrow(ConfigError);
    expect(() => parseOperatorEnv({ OPERATOR_GNV_URL: "nonsense" })).toThrow(/OPERATOR_GNV_URL/);
  });
});
