/**
 * The one way tests, fault scenarios and benchmarks wait for something: poll with a deadline that THROWS,
 * naming what was awaited and the last value seen. A wait that times out silently lets the next assertion
 * fail for the wrong reason (or, worse, pass); a fixed sleep is either too short on a busy machine or wastes
 * time on an idle one.
 */

export class PollTimeoutError extends Error {
  override name = "PollTimeoutError";
}

export interface PollOptions {
  /**
   * What is being waited for, in words: the error message when the deadline passes. A function is called
   * only then, so it can add what is known at that moment (a process's last log lines).
   */
  what: string | (() => string);
  timeoutMs?: number;
  intervalMs?: number;
}

/** Calls `fn` until `ok(value)` holds; returns that value and how long it took, or throws at the deadline. */
export async function pollUntil<T>(
  fn: () => T | Promise<T>,
  ok: (value: T) => boolean,
  opts: PollOptions,
): Promise<{ value: T; ms: number }> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return { value, ms: Date.now() - started };
    if (Date.now() >= deadline) {
      throw new PollTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${typeof opts.what === "function" ? opts.what() : opts.what}; ` +
          `last value seen: ${showValue(value)}`,
      );
    }
    await sleep(Math.min(opts.intervalMs ?? 50, Math.max(deadline - Date.now(), 1)));
  }
}

/** `pollUntil` for a yes/no condition. */
export async function waitUntil(check: () => boolean | Promise<boolean>, opts: PollOptions): Promise<void> {
  await pollUntil(check, (v) => v, opts);
}

/** A pause that is NOT synchronisation (pacing a load, letting an outage last): say so at the call site. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
