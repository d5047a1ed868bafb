import autocannon from "autocannon";
import { percentile, type Row } from "./report";

export type LoadOptions = autocannon.Options;

/**
 * Runs autocannon and reports exact percentiles from every response time (autocannon's own summary
 * has p90 and p97.5 but no p95).
 */
export async function load(scenario: string, opts: LoadOptions, note?: string): Promise<Row> {
  const times: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // An explicit `undefined` (e.g. duration when a fixed amount is given) must not override the defaults.
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as LoadOptions;
    const instance = autocannon({ connections: 10, duration: 10, ...given }, (err, r) =>
      err ? reject(err) : resolve(r),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      times.push(responseTime);
      if (statusCode >= 400) errors++;
    });
  });
  return {
    scenario,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: times.length / ((result.duration || 1) as number),
    requests: times.length,
    errors: errors + result.errors + result.timeouts,
    note,
  };
}
