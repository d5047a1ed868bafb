import { startUpstashEmulator } from "../emulators/upstash/server";
import { upstashCommand } from "../tests/support/emulators";
import { searchInputs } from "../tests/support/fixtures";
import { trpcGetPath } from "../tests/support/trpc-http";
import { type Check, goal, outcome, validity } from "./lib/checks";
import { waitIdle } from "./lib/drain";
import { arg, generatorOnTime, openLoopRow, type Plan, saturation, type Target } from "./lib/measure";
import { finish, type Row, runInfo, summarize, runMain } from "./lib/report";
import { ensureBuild, startBenchStack } from "./lib/stack";

/**
 * `npm run bench:search`: the framework floor (`system.ping`), search with a warm cache, with a cold cache
 * (every request a (route, day) never cached), and with Redis refused and Redis hanging (a second app
 * instance on the same database, same key mix as "cold"). Each scenario: a warm-up, then `--reps`
 * repetitions at saturation (closed loop) and at a fixed open-loop rate; CPU per search from the app's and
 * PostgreSQL's own counters. Outcome checks: every search answered. Goals: see the checks below.
 */
const OFFSET = arg("offset", 500);
const DURATION = arg("duration", 10);
const REPS = arg("reps", 3);
const WARMUP = arg("warmup", 3);
const RATE = arg("rate", 50);
const COLD_RATE = arg("cold-rate", 20);

async function main(): Promise<number> {
  const run = runInfo();
  await ensureBuild();
  const stack = await startBenchStack({ offset: OFFSET });
  const database = stack.databaseName;
  const sql = stack.sql;
  const rows: Row[] = [];
  const checks: Check[] = [];
  const appPort = Number(new URL(stack.appUrl).port);
  const idle = () => waitIdle({ sql, appPort, stripeUrl: stack.urls.stripe, resendUrl: stack.urls.resend });
  // A new global cache version: every key the app builds is new, so the next requests are all misses.
  const coldCache = async () => {
    const res = await upstashCommand(stack.urls.upstash, stack.upstashToken, ["incr", "v:global"]);
    if (!res.ok) throw new Error(`could not bump the cache version: ${res.status}`);
  };
  try {
    // Real (route, local day) pairs that have sailings, so every search is a 200 with results.
    const keys = (await searchInputs(sql, { scheduledOnly: true })).map((s) =>
      trpcGetPath("search.sailings", s),
    );
    if (keys.length < 200) throw new Error(`only ${keys.length} search keys in the seed`);
    const warmKeys = keys.filter((_, i) => i % Math.floor(keys.length / 50) === 0).slice(0, 50);
    const target: Target = { appUrl: stack.appUrl, sql, database };
    const plan: Plan = { reps: REPS, warmupS: WARMUP, before: async () => void (await idle()) };
    const coldPlan: Plan = {
      ...plan,
      before: async () => {
        await idle();
        await coldCache();
      },
    };
    const both = async (
      t: Target,
      name: string,
      paths: string[],
      p: Plan,
      rate: number,
      note?: string,
    ): Promise<[Row, Row]> => {
      // Cold rows must not repeat a key within a repetition (a repeat would be a hit).
      const unique = p === coldPlan;
      let i = 0;
      const sat = await saturation(
        t,
        name,
        {
          url: t.appUrl,
          // Cold: each key exactly once per repetition, however fast the machine answers.
          ...(unique ? { amount: paths.length } : { duration: DURATION }),
          requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] as string }) }],
        },
        { ...p, note },
      );
      const open = await openLoopRow(
        t,
        name,
        {
          rate,
          durationS: unique ? Math.min(DURATION, paths.length / rate) : DURATION,
          request: (n) => ({ path: paths[n % paths.length] as string }),
        },
        { ...p, note },
      );
      rows.push(sat, open);
      return [sat, open];
    };

    const [, pingOpen] = await both(
      target,
      "floor: system.ping",
      [trpcGetPath("system.ping", null)],
      plan,
      RATE,
    );
    const [, warmOpen] = await both(
      target,
      "search, warm cache",
      warmKeys,
      plan,
      RATE,
      "50 cached (route, day) keys",
    );
    const [, coldOpen] = await both(
      target,
      "search, cold cache",
      keys,
      coldPlan,
      COLD_RATE,
      `${keys.length} keys, each missed once per repetition`,
    );

    // Redis refused, then Redis hanging: a second instance on the same database, same keys as "cold".
    const hanging = await startUpstashEmulator({ port: 0, token: "bench-hanging-redis" });
    hanging.hang(true);
    const variants = [
      { name: "search, Redis refused", url: "http://127.0.0.1:9", token: "unused" },
      { name: "search, Redis hanging", url: hanging.url, token: "bench-hanging-redis" },
    ];
    const downRows: Row[] = [];
    try {
      for (const v of variants) {
        const down = await stack.addApp("app-redis-down", {
          UPSTASH_REDIS_REST_URL: v.url,
          UPSTASH_REDIS_REST_TOKEN: v.token,
          LOG_LEVEL: "error",
        });
        try {
          const t: Target = { appUrl: down.url, sql, database };
          const [, open] = await both(t, v.name, keys, plan, COLD_RATE, "answers from PostgreSQL");
          downRows.push(open);
        } finally {
          await down.process.stop();
        }
      }
    } finally {
      await hanging.close();
    }

    for (const r of rows)
      checks.push(
        outcome(
          `${r.scenario} (${r.mode}): every search answered 200`,
          summarize(r).errors,
          "= 0",
          summarize(r).errors === 0,
        ),
      );
    const coldRows = rows.filter((r) => r.scenario === "search, cold cache");
    const most = Math.max(...coldRows.flatMap((r) => r.reps.map((x) => x.requests)));
    checks.push(
      validity(
        "cold cache: no key asked twice within a repetition",
        `${most} requests`,
        `≤ ${keys.length} keys`,
        most <= keys.length,
      ),
    );
    checks.push(...generatorOnTime(rows));
    const med = (r: Row, k: "p50" | "p95") => summarize(r)[k]?.median ?? Number.NaN;
    const ratio = med(warmOpen, "p50") / med(pingOpen, "p50");
    checks.push(
      goal("warm search p50 / system.ping p50 (open loop, same run)", ratio.toFixed(2), "≤ 2", ratio <= 2),
    );
    for (const d of downRows) {
      const r = med(d, "p95") / med(coldOpen, "p95");
      checks.push(goal(`${d.scenario} p95 / cold-cache p95 (open loop)`, r.toFixed(2), "≤ 1.5", r <= 1.5));
    }
  } finally {
    await stack.stop();
  }
  return finish("search", run, rows, checks, {
    offset: OFFSET,
    durationS: DURATION,
    reps: REPS,
    warmupS: WARMUP,
    openLoopRate: RATE,
    coldOpenLoopRate: COLD_RATE,
  });
}

runMain(main);
