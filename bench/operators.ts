import { performance } from "node:perf_hooks";
import { trpcGetPath } from "../tests/support/trpc-http";
import { type Check, goal, outcome } from "./lib/checks";
import { arg } from "./lib/measure";
import { finish, percentile, type Row, runInfo, runMain } from "./lib/report";
import { ensureBuild, startBenchStack } from "./lib/stack";

/**
 * `npm run bench:operators`: the search cache doing its real job in front of connected operators (the GNV
 * and GRM emulators with their default 300–1200 ms per call), on Tunis–Genoa (CTN own + GNV connected) and
 * Tunis–Civitavecchia (GRM):
 *
 * 1. cache miss vs hit: each of `--days` (route, day) searched cold (the operator is asked), then again
 *    (answered from the cache); the ratio of the medians (goal: hit ≥ 30× faster);
 * 2. one operator hung (GNV answers nothing): search p95 (goal ≤ OPERATOR_TIMEOUT_MS + 200 ms) and every
 *    answer still lists CTN's sailings and says GNV did not answer (outcome). After five timeouts GNV's
 *    breaker opens and the rest are answered at once, as `unavailable`;
 * 3. 100 concurrent identical cold searches: upstream GetSailings per operator, read from the emulators'
 *    own call counters (outcome: exactly 1 each).
 */
const OFFSET = arg("offset", 1600);
const DAYS = arg("days", 12);
const HUNG = arg("hung", 20);
const CONCURRENT = arg("concurrent", 100);
const TIMEOUT_MS = 1_500;

interface SearchAnswer {
  sailings: { source: string; operator: { code: string } }[];
  operators: { code: string; status: string }[];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
/** The next `n` dates from `from` (UTC date) falling on the ISO weekdays given. */
function nextDays(n: number, weekdays: number[], skip = 2): string[] {
  const out: string[] = [];
  for (let d = skip; out.length < n; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    if (weekdays.includes(((day.getUTCDay() + 6) % 7) + 1)) out.push(isoDay(day));
  }
  return out;
}

async function main(): Promise<number> {
  const run = runInfo();
  await ensureBuild();
  const stack = await startBenchStack({ offset: OFFSET, operatorLatency: "realistic" });
  const rows: Row[] = [];
  const checks: Check[] = [];
  const { GNV: gnv, GRM: grm } = stack.urls.operators;
  const control = async (url: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}/_emulator/${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${url}/_emulator/${route}: ${res.status}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const getSailings = async (url: string) =>
    ((await control(url, "calls")).operations as Record<string, number>).GetSailings ?? 0;
  const search = async (to: string, date: string): Promise<{ ms: number; body: SearchAnswer }> => {
    const input = { from: "TUN", to, date, passengers: { adults: 2, children: 0, infants: 0 }, pets: 0 };
    const t0 = performance.now();
    const res = await fetch(`${stack.appUrl}${trpcGetPath("search.sailings", input)}`);
    const json = (await res.json()) as { result?: { data?: { json?: SearchAnswer } } };
    const ms = performance.now() - t0;
    const body = json.result?.data?.json;
    if (!res.ok || !body) throw new Error(`search TUN→${to} ${date}: ${res.status}`);
    return { ms, body };
  };
  const rep = (times: number[], errors = 0) => ({
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: null,
    requests: times.length,
    errors,
  });
  try {
    // 1. Miss, then hit, on days the connected operator sails (GNV Tue/Thu/Sun, GRM Wed/Sun).
    const misses: number[] = [];
    const hits: number[] = [];
    let missErrors = 0;
    const routeDays = [
      ...nextDays(DAYS / 2, [2, 4, 7]).map((d) => ["GOA", d] as const),
      ...nextDays(DAYS / 2, [3, 7]).map((d) => ["CIV", d] as const),
    ];
    for (const [to, date] of routeDays) {
      const code = to === "GOA" ? "GNV" : "GRM";
      const status = (r: { body: SearchAnswer }) => r.body.operators.find((o) => o.code === code)?.status;
      const miss = await search(to, date);
      if (status(miss) !== "ok") missErrors++;
      misses.push(miss.ms);
      const hit = await search(to, date);
      if (status(hit) !== "cached") missErrors++;
      hits.push(hit.ms);
    }
    rows.push({
      scenario: "connected search, cache miss",
      mode: "sequence",
      load: "1 at a time",
      reps: [rep(misses, missErrors)],
    });
    rows.push({
      scenario: "connected search, cache hit",
      mode: "sequence",
      load: "1 at a time",
      reps: [rep(hits)],
    });
    const ratio = (percentile(misses, 50) ?? 0) / (percentile(hits, 50) ?? Number.POSITIVE_INFINITY);
    checks.push(
      outcome(
        "connected operator asked on each miss (ok), cache on each hit (cached)",
        missErrors,
        "= 0",
        missErrors === 0,
      ),
    );
    checks.push(goal("cache-hit speed-up (miss p50 / hit p50)", ratio.toFixed(1), "≥ 30", ratio >= 30));

    // 2. GNV hung: Tunis–Genoa searches still answer in time with CTN's sailings and a GNV notice.
    await control(gnv, "hang", { seconds: 600 });
    const hungTimes: number[] = [];
    let hungWrong = 0;
    // CTN sails Tunis–Genoa on Tuesdays and Saturdays; from three weeks out, past the days searched above.
    for (const date of nextDays(HUNG, [2, 6], 2 + 7 * 3)) {
      const r = await search("GOA", date);
      hungTimes.push(r.ms);
      const gnvStatus = r.body.operators.find((o) => o.code === "GNV")?.status;
      const ctnShown = r.body.sailings.some((s) => s.operator.code === "CTN");
      if (!ctnShown || !(gnvStatus === "timeout" || gnvStatus === "unavailable")) hungWrong++;
    }
    await control(gnv, "hang", { seconds: 0 });
    rows.push({
      scenario: "search with GNV hung",
      mode: "sequence",
      load: "1 at a time",
      reps: [rep(hungTimes, hungWrong)],
    });
    const hungP95 = percentile(hungTimes, 95) ?? Number.POSITIVE_INFINITY;
    checks.push(
      outcome(
        "GNV hung: CTN's sailings shown and GNV reported as not answering",
        hungWrong,
        "= 0",
        hungWrong === 0,
      ),
    );
    checks.push(
      goal(
        "GNV hung: search p95 (ms)",
        hungP95.toFixed(0),
        `≤ ${TIMEOUT_MS + 200}`,
        hungP95 <= TIMEOUT_MS + 200,
      ),
    );

    // 3. 100 identical concurrent cold searches per operator: one upstream GetSailings each.
    // (The breaker that opened while GNV hung lets its next probe through after its cooldown.)
    await new Promise((r) => setTimeout(r, 31_000));
    const [gnvBefore, grmBefore] = [await getSailings(gnv), await getSailings(grm)];
    const [gnvDay] = nextDays(1, [2, 4, 7], 2 + 7 * 10);
    const [grmDay] = nextDays(1, [3, 7], 2 + 7 * 10);
    const burst = (to: string, date: string) =>
      Promise.all(Array.from({ length: CONCURRENT }, () => search(to, date)));
    // One operator at a time: 100 requests at once is already a burst for one app process on a small machine.
    const gnvBurst = await burst("GOA", gnvDay!);
    const grmBurst = await burst("CIV", grmDay!);
    const upstream = { GNV: (await getSailings(gnv)) - gnvBefore, GRM: (await getSailings(grm)) - grmBefore };
    const burstTimes = [...gnvBurst, ...grmBurst].map((r) => r.ms);
    const burstWrong = [...gnvBurst, ...grmBurst].filter(
      (r) => !r.body.sailings.some((s) => s.source === "connected"),
    ).length;
    rows.push({
      scenario: `${CONCURRENT} concurrent identical cold searches, per operator`,
      mode: "sequence",
      load: `${CONCURRENT} at once`,
      reps: [rep(burstTimes, burstWrong)],
      note: `upstream GetSailings: GNV ${upstream.GNV}, GRM ${upstream.GRM}`,
    });
    // Timing-dependent (an answer later than the operator's timeout is reported without its sailings): a goal.
    checks.push(
      goal(
        "concurrent cold searches: connected sailings in every answer",
        burstWrong,
        "= 0",
        burstWrong === 0,
      ),
    );
    for (const code of ["GNV", "GRM"] as const)
      checks.push(
        outcome(
          `${code}: upstream GetSailings for ${CONCURRENT} identical cold searches`,
          upstream[code],
          "= 1",
          upstream[code] === 1,
        ),
      );
  } finally {
    await stack.stop();
  }
  return finish("operators", run, rows, checks, {
    offset: OFFSET,
    days: DAYS,
    hungSearches: HUNG,
    concurrent: CONCURRENT,
    operatorLatency: "300-1200 ms",
    operatorTimeoutMs: TIMEOUT_MS,
  });
}

runMain(main);
