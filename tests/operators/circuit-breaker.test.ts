import { describe, expect, it } from "vitest";
import { type BreakerStatus, CircuitBreaker } from "../../src/server/lib/circuit-breaker";

// The generic breaker on a hand-moved clock: no sleeps, every transition at an exact instant.

function breaker(opts: { threshold?: number; cooldownMs?: number; probeTimeoutMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const transitions: BreakerStatus[] = [];
  const b = new CircuitBreaker({
    failureThreshold: opts.threshold ?? 3,
    cooldownMs: opts.cooldownMs ?? 10_000,
    probeTimeoutMs: opts.probeTimeoutMs,
    now: () => clock.now,
    onStateChange: (to) => transitions.push(to),
  });
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) b.tryAcquire()!.failure();
  };
  return { b, clock, transitions, fail };
}

describe("CircuitBreaker", () => {
  it("opens after N failures in a row, and a success in between starts the count again", () => {
    const { b, clock, fail } = breaker();
    fail(2);
    b.tryAcquire()!.success();
    fail(2);
    expect(b.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: 2, openedAt: null });
    fail(1);
    expect(b.snapshot()).toMatchObject({
      status: "open",
      openedAt: clock.now,
      retryAt: clock.now + 10_000,
      consecutiveFailures: 3,
      opens: 1,
    });
  });

  it("released permits neither count nor reset", () => {
    const { b, fail } = breaker();
    fail(2);
    b.tryAcquire()!.release();
    expect(b.snapshot().consecutiveFailures).toBe(2);
    fail(1);
    expect(b.snapshot().status).toBe("open");
  });

  it("refuses every call while open, then lets exactly one probe through after the cooldown", () => {
    const { b, clock, fail } = breaker();
    fail(3);
    clock.now += 9_999;
    expect(b.tryAcquire()).toBeNull();
    expect(b.snapshot().status).toBe("open");
    clock.now += 1;
    expect(b.snapshot().status).toBe("half-open");
    const probe = b.tryAcquire();
    expect(probe?.probe).toBe(true);
    expect(b.tryAcquire()).toBeNull();
    expect(b.tryAcquire()).toBeNull();
    probe!.success();
    expect(b.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: 0, openedAt: null });
    expect(b.tryAcquire()?.probe).toBe(false);
  });

  it("a failed probe opens it again for a whole cooldown from the probe's failure", () => {
    const { b, clock, fail, transitions } = breaker();
    fail(3);
    clock.now += 10_000;
    const probe = b.tryAcquire()!;
    clock.now += 500;
    probe.failure();
    expect(b.snapshot()).toMatchObject({ status: "open", openedAt: clock.now, opens: 2 });
    clock.now += 9_999;
    expect(b.tryAcquire()).toBeNull();
    clock.now += 1;
    expect(b.tryAcquire()?.probe).toBe(true);
    expect(transitions).toEqual(["open", "half-open", "open", "half-open"]);
  });

  it("a released probe keeps it half-open and the next call probes", () => {
    const { b, clock, fail } = breaker();
    fail(3);
    clock.now += 10_000;
    b.tryAcquire()!.release();
    expect(b.snapshot().status).toBe("half-open");
    const next = b.tryAcquire();
    expect(next?.probe).toBe(true);
    expect(b.tryAcquire()).toBeNull();
  });

  it("a probe that never reports is given up after the probe timeout, and its late report is ignored", () => {
    const { b, clock, fail } = breaker({ probeTimeoutMs: 2_000 });
    fail(3);
    clock.now += 10_000;
    const lost = b.tryAcquire()!;
    clock.now += 1_999;
    expect(b.tryAcquire()).toBeNull();
    clock.now += 1;
    const second = b.tryAcquire()!;
    expect(second.probe).toBe(true);
    lost.failure();
    expect(b.snapshot().status).toBe("half-open");
    second.success();
    expect(b.snapshot().status).toBe("closed");
  });

  it("late reports from calls issued before it opened change nothing", () => {
    const { b, clock, fail } = breaker();
    const slow = [b.tryAcquire()!, b.tryAcquire()!];
    fail(3);
    const openedAt = clock.now;
    clock.now += 5_000;
    slow[0]!.failure();
    slow[1]!.success();
    expect(b.snapshot()).toMatchObject({ status: "open", openedAt, opens: 1 });
  });

  it("a permit settles once", () => {
    const { b } = breaker();
    const p = b.tryAcquire()!;
    p.failure();
    p.failure();
    p.failure();
    expect(b.snapshot()).toMatchObject({ status: "closed", consecutiveFailures: 1 });
  });

  it("refuses a nonsensical configuration", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ cooldownMs: 0 })).toThrow(RangeError);
  });
});
