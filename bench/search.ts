import { load } from "./lib/load";
import { startProcess, waitHealthy } from "./lib/process";
import { report, type Row } from "./lib/report";
import { benchDatabaseUrl, ensureBuild, startBenchStack } from "./lib/stack";

/**
 * `npm run bench:search` (issue 3): latency and throughput of the framework floor (a tRPC procedure that
 * does nothing), search with a warm cache, with a cold cache (every request a key never seen), and with
 * Redis down (a second app instance whose Upstash URL is a closed port). Figures, not assertions.
 */
const OFFSET = 900;
const DURATION = Number(process.argv.find((a) => a.startsWith("--duration="))?.split("=")[1] ?? 10);

function trpcGet(path: string, input: unknown): string {
  return `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

function isoDay(daysAhead: number): string {
  return new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

export async function runSearchBench(opts: { offset?: number; duration?: number } = {}): Promise<Row[]> {
  const offset = opts.offset ?? OFFSET;
  const duration = opts.duration ?? DURATION;
  await ensureBuild();
  const stack = await startBenchStack({ offset, quiet: true });
  const rows: Row[] = [];
  try {
    const warmInput = {
      from: "TUN",
      to: "PMO",
      date: isoDay(7),
      passengers: { adults: 2, children: 1, infants: 0 },
    };
    const warmPath = trpcGet("search.sailings", warmInput);
    const probe = await fetch(stack.appUrl + warmPath);
    if (!probe.ok) throw new Error(`search failed: ${probe.status} ${await probe.text()}`);

    rows.push(
      await load("floor: system.ping", { url: stack.appUrl + trpcGet("system.ping", null), duration }),
    );
    rows.push(
      await load("search, warm cache", { url: stack.appUrl + warmPath, duration }, "same route/day/party"),
    );

    // Cold: every request asks for a (route pair, day) never cached before, so each one loads from
    // Postgres and fills the cache, which is what a cleared cache costs.
    const ports = (await (await fetch(stack.appUrl + trpcGet("search.ports", null))).json()) as {
      result: { data: { json: { code: string; destinations: string[] }[] } };
    };
    const pairs = ports.result.data.json.flatMap((p) => p.destinations.map((d) => [p.code, d] as const));
    const coldPaths: string[] = [];
    for (let day = 1; day < 110; day++) {
      for (const [from, to] of pairs)
        coldPaths.push(trpcGet("search.sailings", { ...warmInput, from, to, date: isoDay(day) }));
    }
    let i = 0;
    rows.push(
      await load(
        "search, cold cache",
        {
          url: stack.appUrl,
          amount: coldPaths.length,
          duration: undefined,
          requests: [
            { setupRequest: (req) => ({ ...req, path: coldPaths[i++ % coldPaths.length] as string }) },
          ],
        },
        `${coldPaths.length} distinct keys, each missed once`,
      ),
    );

    // Redis down: a second instance on the same database whose Upstash endpoint refuses connections.
    const downPort = 3000 + offset + 50;
    const down = startProcess("npm", ["start", "--", "-p", String(downPort)], {
      DATABASE_URL: benchDatabaseUrl(offset),
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
      UPSTASH_REDIS_REST_TOKEN: "unused",
      // Test mode, like the rest of the benchmark stack: it runs without live Stripe and Resend keys.
      NODE_ENV: "test",
      LOG_LEVEL: "error",
    });
    try {
      await waitHealthy(`http://127.0.0.1:${downPort}`);
      rows.push(
        await load(
          "search, Redis down",
          { url: `http://127.0.0.1:${downPort}${warmPath}`, duration },
          "answers from Postgres",
        ),
      );
    } finally {
      await down.stop();
    }
  } finally {
    await stack.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSearchBench()
    .then((rows) => {
      const [floor, warm, cold, down] = rows;
      report("search", rows, {
        "warm p50 / floor p50 (goal ≤ 2)": floor?.p50 && warm?.p50 ? (warm.p50 / floor.p50).toFixed(2) : "–",
        "Redis-down p95 / cold p95 (goal ≤ 1.5)":
          cold?.p95 && down?.p95 ? (down.p95 / cold.p95).toFixed(2) : "–",
      });
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
