import { sleep } from "../../tests/support/poll";
import { percentile } from "../../tests/support/stats";

/**
 * A bounded request loop: `concurrency` virtual clients each send one request at a time until
 * `maxRequests` have been sent or `durationMs` has passed, whichever comes first. Every request has its
 * own timeout, so a hanging server shows up as a `timeout` outcome instead of a stuck test. Loopback only:
 * the request function decides the URL, and the fault tests only ever pass 127.0.0.1 URLs.
 */
export interface Outcome {
  /** Epoch ms when the request was sent. */
  at: number;
  ms: number;
  /** HTTP status, or 0 for a network error / timeout. */
  status: number;
  error?: string;
  /** Anything the request function wants to keep (e.g. the error message of a 503). */
  detail?: string;
  /** What was asked (e.g. the procedure), from `label`. */
  label?: string;
}

export interface LoadResult {
  outcomes: Outcome[];
  byStatus: Record<string, number>;
  p50: number;
  p95: number;
  max: number;
  durationMs: number;
}

export type Requester = (i: number, signal: AbortSignal) => Promise<{ status: number; detail?: string }>;

export interface LoadHandle {
  /** Resolves when the loop has finished (duration or count reached, or stop() called). */
  done: Promise<LoadResult>;
  stop(): void;
  /** Outcomes so far (live), for assertions mid-run. */
  outcomes: Outcome[];
}

export function startLoad(opts: {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  requestTimeoutMs: number;
  request: Requester;
  /** Pause between two requests of the same client (ms), to keep a 2-core machine responsive. */
  thinkMs?: number;
  label?: (i: number) => string;
}): LoadHandle {
  const outcomes: Outcome[] = [];
  const started = Date.now();
  const deadline = started + opts.durationMs;
  let sent = 0;
  let stopped = false;
  const client = async () => {
    while (!stopped && sent < opts.maxRequests && Date.now() < deadline) {
      const i = sent++;
      const at = Date.now();
      const signal = AbortSignal.timeout(opts.requestTimeoutMs);
      try {
        const r = await opts.request(i, signal);
        outcomes.push({
          at,
          ms: Date.now() - at,
          status: r.status,
          detail: r.detail,
          label: opts.label?.(i),
        });
      } catch (e) {
        const err = e as Error;
        outcomes.push({
          at,
          ms: Date.now() - at,
          label: opts.label?.(i),
          status: 0,
          error: err.name === "TimeoutError" || err.name === "AbortError" ? "timeout" : err.message,
        });
      }
      // Pacing, not synchronisation.
      if (opts.thinkMs) await sleep(opts.thinkMs);
    }
  };
  const done = Promise.all(Array.from({ length: opts.concurrency }, client)).then(() => summarise(outcomes));
  return {
    done,
    outcomes,
    stop() {
      stopped = true;
    },
  };
}

/** The figures of a finished load that a scenario records (requests, statuses, latencies). */
export function loadFigures(r: LoadResult, latencies: ("p50" | "p95" | "max")[] = ["p50", "p95", "max"]) {
  return {
    requests: r.outcomes.length,
    byStatus: r.byStatus,
    ...Object.fromEntries(latencies.map((k) => [k, r[k]])),
  };
}

export function summarise(outcomes: Outcome[]): LoadResult {
  const byStatus: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.status === 0 ? `error:${o.error ?? "?"}` : String(o.status);
    byStatus[k] = (byStatus[k] ?? 0) + 1;
  }
  const times = outcomes.map((o) => o.ms);
  const first = outcomes.reduce((m, o) => Math.min(m, o.at), Number.POSITIVE_INFINITY);
  const last = outcomes.reduce((m, o) => Math.max(m, o.at + o.ms), 0);
  return {
    outcomes,
    byStatus,
    p50: percentile(times, 50) ?? 0,
    p95: percentile(times, 95) ?? 0,
    max: times.reduce((m, t) => Math.max(m, t), 0),
    durationMs: outcomes.length ? last - first : 0,
  };
}
