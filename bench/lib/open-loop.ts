import { Agent, request as httpRequest } from "node:http";
import { percentile } from "../../tests/support/stats";

/**
 * An open-loop load generator: requests are sent on a fixed timetable (request i at start + i / rate),
 * whatever happened to the earlier ones, and each latency is measured from the request's SCHEDULED time.
 * A slow answer therefore delays nothing else and cannot hide queueing ("coordinated omission"), which a
 * closed loop such as autocannon does even with `overallRate` (each connection waits for its answer before
 * sending the next request, and the time spent waiting is not counted). How late the generator itself was
 * is reported (`sendLag`), so a run on a machine too busy to keep the timetable can be thrown out.
 */
export interface OpenLoopRequest {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopResult {
  /** Scheduled-time latencies (ms) of every request that got a response. */
  latencies: number[];
  statuses: Record<number, number>;
  /** What each error was: `status <n>` for a refused answer, else the network error's code or message. */
  failures: Record<string, number>;
  /** Responses the caller's `ok` refused, timeouts and network errors. */
  errors: number;
  sent: number;
  durationS: number;
  sendLag: { p50: number; p99: number; max: number };
}

export async function openLoop(opts: {
  origin: string;
  rate: number;
  durationS: number;
  request: (i: number) => OpenLoopRequest;
  /** Whether a response counts as a success (default: 2xx). */
  ok?: (status: number, body: string, i: number) => boolean;
  timeoutMs?: number;
}): Promise<OpenLoopResult> {
  const url = new URL(opts.origin);
  // No socket limit: an open loop opens another connection rather than queue behind a slow answer.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const total = Math.max(1, Math.round(opts.rate * opts.durationS));
  const interval = 1000 / opts.rate;
  const ok = opts.ok ?? ((status) => status >= 200 && status < 300);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const latencies: number[] = [];
  const lags: number[] = [];
  const statuses: Record<number, number> = {};
  const failures: Record<string, number> = {};
  const failed = (why: string) => {
    errors++;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  let errors = 0;
  let finished = 0;
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    resolveAll = r;
  });
  const done = () => {
    if (++finished === total) resolveAll();
  };

  const fire = (i: number, scheduled: number) => {
    lags.push(performance.now() - scheduled);
    const spec = opts.request(i);
    let settled = false;
    const fail = (e?: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      failed(e?.code ?? e?.message ?? "error");
      done();
    };
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: spec.method ?? "GET",
        path: spec.path,
        agent,
        headers: {
          ...spec.headers,
          ...(spec.body ? { "content-length": String(Buffer.byteLength(spec.body)) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          const status = res.statusCode ?? 0;
          latencies.push(performance.now() - scheduled);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (!ok(status, Buffer.concat(chunks).toString("utf8"), i)) failed(`status ${status}`);
          done();
        });
        res.on("error", fail);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", fail);
    req.end(spec.body);
  };

  const start = performance.now() + 20;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(next, start + next * interval);
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else resolve();
    };
    setTimeout(tick, 20);
  });
  await allDone;
  agent.destroy();
  return {
    latencies,
    statuses,
    failures,
    errors,
    sent: total,
    durationS: (performance.now() - start) / 1000,
    sendLag: {
      p50: percentile(lags, 50) ?? 0,
      p99: percentile(lags, 99) ?? 0,
      max: lags.reduce((m, v) => Math.max(m, v), 0),
    },
  };
}
