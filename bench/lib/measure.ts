import autocannon from "autocannon";
import type postgres from "postgres";
import { type Check, validity } from "./checks";
import { measureCpu } from "./cpu";
import { type OpenLoopRequest, openLoop } from "./open-loop";
import { percentile } from "../../tests/support/stats";
import type { Rep, Row } from "./report";
import { summarize } from "./report";

/**
 * One scenario = a warm-up (discarded), then `reps` measured repetitions, each optionally preceded by
 * `before` (drain the stack, make the cache cold again …). CPU per operation is measured around every
 * open-loop repetition from the app's and the database backends' own counters. Not at saturation: there,
 * requests still in flight when the time is up have used CPU but are not counted, which inflates the figure.
 */
export interface Target {
  appUrl: string;
  /** PostgreSQL connection and database name whose backends to measure (optional). */
  sql?: postgres.Sql;
  database?: string;
}

export interface Plan {
  reps: number;
  warmupS: number;
  /** Runs before the warm-up and before each repetition. */
  before?: (phase: "warmup" | number) => Promise<void>;
  note?: string;
}

const portOf = (url: string) => Number(new URL(url).port);

async function withCpu(target: Target, fn: () => Promise<Rep>): Promise<Rep> {
  const { value, appMs, pgMs } = await measureCpu(
    { appPort: portOf(target.appUrl), sql: target.sql, database: target.database },
    fn,
  );
  const ops = value.requests || 1;
  return {
    ...value,
    appCpuMsPerOp: appMs === null ? null : appMs / ops,
    pgCpuMsPerOp: pgMs === null ? null : pgMs / ops,
  };
}

/** Closed loop at saturation: `connections` clients, each sending its next request when the last answered. */
export async function saturation(
  _target: Target,
  scenario: string,
  opts: autocannon.Options,
  plan: Plan & { ok?: (status: number) => boolean },
): Promise<Row> {
  const ok = plan.ok ?? ((s: number) => s >= 200 && s < 300);
  const once = (extra: Partial<autocannon.Options>) =>
    new Promise<Rep>((resolve, reject) => {
      const times: number[] = [];
      let bad = 0;
      const given = Object.fromEntries(
        Object.entries({ ...opts, ...extra }).filter(([, v]) => v !== undefined),
      ) as unknown as autocannon.Options;
      const instance = autocannon({ connections: 10, ...given }, (err, r) => {
        if (err) return reject(err);
        resolve({
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          p99: percentile(times, 99),
          rps: times.length / (r.duration || 1),
          requests: times.length,
          errors: bad + r.errors + r.timeouts,
        });
      });
      instance.on("response", (_c, status, _b, ms) => {
        times.push(ms);
        if (!ok(status)) bad++;
      });
    });
  await plan.before?.("warmup");
  if (plan.warmupS > 0) await once({ duration: plan.warmupS, amount: undefined });
  const reps: Rep[] = [];
  for (let i = 0; i < plan.reps; i++) {
    await plan.before?.(i);
    reps.push(await once({}));
  }
  return {
    scenario,
    mode: "saturation",
    load: `${opts.connections ?? 10} connections`,
    reps,
    note: plan.note,
  };
}

/** Open loop: `rate` requests per second on a fixed timetable, latency from the scheduled time. */
export async function openLoopRow(
  target: Target,
  scenario: string,
  opts: {
    rate: number;
    durationS: number;
    request: (i: number) => OpenLoopRequest;
    ok?: (status: number, body: string, i: number) => boolean;
  },
  plan: Plan,
): Promise<Row> {
  let offset = 0;
  const once = async (durationS: number): Promise<Rep> => {
    const base = offset;
    const r = await openLoop({
      origin: target.appUrl,
      rate: opts.rate,
      durationS,
      request: (i) => opts.request(base + i),
      ok: opts.ok ? (s, b, i) => opts.ok!(s, b, base + i) : undefined,
    });
    offset += r.sent;
    return {
      p50: percentile(r.latencies, 50),
      p95: percentile(r.latencies, 95),
      p99: percentile(r.latencies, 99),
      rps: r.latencies.length / r.durationS,
      requests: r.sent,
      errors: r.errors,
      ...(r.errors > 0 ? { failures: r.failures } : {}),
      sendLagP99: r.sendLag.p99,
    };
  };
  await plan.before?.("warmup");
  if (plan.warmupS > 0) await once(plan.warmupS);
  const reps: Rep[] = [];
  for (let i = 0; i < plan.reps; i++) {
    await plan.before?.(i);
    reps.push(await withCpu(target, () => once(opts.durationS)));
  }
  return { scenario, mode: "open-loop", load: `${opts.rate} req/s`, reps, note: plan.note };
}

/** Command-line settings shared by the benchmarks: `--name=value`. */
export function arg(name: string, fallback: number, argv: string[] = process.argv): number {
  const raw = argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
  return v;
}

/**
 * Open-loop latencies run from the scheduled send time, so a generator that sends late adds its lateness to
 * them. A row is valid when the worst repetition's send lag p99 stays under 10 ms or 20 % of the row's p50,
 * whichever is larger: the generator's share of the figures is then small.
 */
export function generatorOnTime(rows: Row[]): Check[] {
  return rows
    .filter((r) => r.mode === "open-loop")
    .map((r) => {
      const s = summarize(r);
      const lag = s.sendLagP99?.max ?? 0;
      const limit = Math.max(10, 0.2 * (s.p50?.median ?? 0));
      return validity(
        `${r.scenario}: open-loop generator on time (send lag p99, worst repetition)`,
        `${lag.toFixed(1)} ms`,
        `≤ ${limit.toFixed(1)} ms (10 ms or 20 % of p50)`,
        lag <= limit,
      );
    });
}
