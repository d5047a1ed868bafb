// The emulator's business clock: provisional expiry, quote validity, cancel-charge bands, sales
// closing and the sailing window all read it. Tests move it through the control API; it keeps
// flowing with the base clock in between. Fault injection (latency, hang, down, rate limit) uses real
// time instead, because it is about how long a client really waits.

export class Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  /** From now on `now()` reads `target` and keeps flowing from there. */
  set(target: number): void {
    this.offsetMs = target - this.base();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  offset(): number {
    return this.offsetMs;
  }

  reset(initialOffsetMs: number): void {
    this.offsetMs = initialOffsetMs;
  }
}
