/**
 * A circuit breaker for one remote dependency: after `failureThreshold` failures in a row it opens and
 * refuses every call for `cooldownMs`, so callers stop paying a timeout each; then it lets exactly one
 * call through (half-open) and closes on its success or opens again on its failure.
 *
 * Generic on purpose: the caller decides what a failure is (a timeout, a refused connection) and what is
 * not (a business refusal means the other side answered). The clock is injected so tests move time
 * instead of sleeping.
 *
 * Usage: `const permit = breaker.tryAcquire(); if (!permit) skip; … permit.success() | failure() | release()`.
 * Every permit must be settled once; a probe that is never settled is given up after `probeTimeoutMs`,
 * so a lost report cannot leave the breaker half-open forever.
 */

export type BreakerStatus = "closed" | "open" | "half-open";

export interface BreakerSnapshot {
  status: BreakerStatus;
  /** When it last opened (epoch ms); null while closed. */
  openedAt: number | null;
  /** When an open breaker lets its next probe through (epoch ms); null unless open. */
  retryAt: number | null;
  /** Failures in a row since the last success (the count that opens it). */
  consecutiveFailures: number;
  /** How many times it has opened since it was created. */
  opens: number;
}

export interface CircuitBreakerOptions {
  /** Failures in a row that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long it stays open before one probe is let through (default 30 s). */
  cooldownMs?: number;
  /** How long an unsettled probe blocks others (default: the cooldown). */
  probeTimeoutMs?: number;
  now?: () => number;
  onStateChange?: (to: BreakerStatus, snapshot: BreakerSnapshot) => void;
}

export interface BreakerPermit {
  /** Whether this call is the half-open probe. */
  readonly probe: boolean;
  /** The other side answered: resets the failure count; a probe closes the breaker. */
  success(): void;
  /** The other side did not answer: counts towards opening; a probe reopens the breaker. */
  failure(): void;
  /** Neither: the call tells nothing about the other side's health. A probe frees the way for the next. */
  release(): void;
}

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly probeTimeoutMs: number;
  private readonly now: () => number;
  private readonly onStateChange?: CircuitBreakerOptions["onStateChange"];
  private status: BreakerStatus = "closed";
  private openedAt: number | null = null;
  private failures = 0;
  private opens = 0;
  private probeIssuedAt: number | null = null;
  /**
   * Bumped on every state change. A permit settles only if the breaker is still in the state that issued
   * it: a late failure from before an opening must not extend it, a lost probe's late answer must not
   * overrule the next probe.
   */
  private generation = 0;

  constructor(opts: CircuitBreakerOptions = {}) {
    this.threshold = opts.failureThreshold ?? 5;
    this.cooldownMs = opts.cooldownMs ?? 30_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? this.cooldownMs;
    this.now = opts.now ?? Date.now;
    this.onStateChange = opts.onStateChange;
    if (!Number.isInteger(this.threshold) || this.threshold < 1) {
      throw new RangeError("failureThreshold must be a whole number of at least 1");
    }
    if (!(this.cooldownMs > 0) || !(this.probeTimeoutMs > 0)) {
      throw new RangeError("cooldownMs and probeTimeoutMs must be positive");
    }
  }

  /** A permit to call, or null when the call must not be made (open, or a probe is already out). */
  tryAcquire(): BreakerPermit | null {
    const now = this.now();
    if (this.status === "closed") return this.permit(false);
    if (this.status === "open") {
      if (now < (this.openedAt ?? 0) + this.cooldownMs) return null;
      this.transition("half-open");
    } else if (this.probeIssuedAt !== null && now - this.probeIssuedAt < this.probeTimeoutMs) {
      return null;
    } else if (this.probeIssuedAt !== null) {
      // The previous probe never reported: forget it (its late report is ignored) and send another.
      this.generation++;
    }
    this.probeIssuedAt = now;
    return this.permit(true);
  }

  snapshot(): BreakerSnapshot {
    // An open breaker whose cooldown is over is effectively half-open: the next call will probe.
    const cooledDown =
      this.status === "open" && this.openedAt !== null && this.now() >= this.openedAt + this.cooldownMs;
    const status: BreakerStatus = cooledDown ? "half-open" : this.status;
    return {
      status,
      openedAt: this.status === "closed" ? null : this.openedAt,
      retryAt: status === "open" && this.openedAt !== null ? this.openedAt + this.cooldownMs : null,
      consecutiveFailures: this.failures,
      opens: this.opens,
    };
  }

  private permit(probe: boolean): BreakerPermit {
    const generation = this.generation;
    let settled = false;
    const settle = (outcome: "success" | "failure" | "release") => {
      if (settled) return;
      settled = true;
      if (generation !== this.generation) return;
      this.settle(probe, outcome);
    };
    return {
      probe,
      success: () => settle("success"),
      failure: () => settle("failure"),
      release: () => settle("release"),
    };
  }

  private settle(probe: boolean, outcome: "success" | "failure" | "release"): void {
    if (!probe) {
      if (outcome === "success") this.failures = 0;
      else if (outcome === "failure" && ++this.failures >= this.threshold) this.open();
      return;
    }
    this.probeIssuedAt = null;
    if (outcome === "success") {
      this.failures = 0;
      this.openedAt = null;
      this.transition("closed");
    } else if (outcome === "failure") {
      this.failures++;
      this.open();
    }
    // release: stays half-open, and the next call probes.
  }

  private open(): void {
    this.openedAt = this.now();
    this.opens++;
    this.transition("open");
  }

  private transition(to: BreakerStatus): void {
    this.status = to;
    this.generation++;
    this.onStateChange?.(to, this.snapshot());
  }
}
