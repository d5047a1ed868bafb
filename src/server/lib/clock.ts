/**
 * What "now" is for every decision a feature makes (holds ending, sales closing, refund bands, boarding
 * windows, sessions going idle). Features read it from `svc.clock`, never from `new Date()`, so a test can
 * stand at any moment without sleeping or patching globals.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for tests that walk through time. */
export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date): void {
    this.at = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}
