import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { oneAdultBooking } from "../tests/support/fixtures";
import { encodeInput, trpcPostHeaders } from "../tests/support/trpc-http";
import { pollUntil } from "../tests/support/poll";
import { listeningPids } from "./lib/cpu";
import { waitIdle } from "./lib/drain";
import { arg } from "./lib/measure";
import { surname } from "./lib/names";
import { openLoop } from "./lib/open-loop";
import { runInfo, runMain } from "./lib/report";
import { clientIp, ensureBuild, startBenchStack } from "./lib/stack";

/**
 * `npm run bench:profile-booking`: where `booking.create`'s CPU goes in the app process. A second app
 * instance of the bench stack runs under V8's sampling profiler (`--cpu-prof`); it gets a warm-up, then
 * the open-loop load of bench/booking.ts (20 req/s), and is stopped so that it writes its profile. The
 * profile's samples are summed by where the code comes from (a package, the app's own bundle, Node's
 * internals, the garbage collector, native socket writes) and written, divided by the bookings, to
 * bench/results/<run>/booking-profile.json; the raw profile is kept in .data/profiles/<run>/ (open it in Chrome's DevTools).
 *
 * The figures are wall-clock samples while the process was busy, so they include time the process was
 * runnable but descheduled (a loaded machine inflates native socket writes most); `bench:booking`'s
 * core-ms are the CPU counters. Read this file for proportions, that one for the cost.
 */
const RATE = arg("rate", 20);
const DURATION = arg("duration", 30);
const WARMUP = arg("warmup", 5);

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sample's innermost frame comes from. */
function origin(url: string, fn: string): string {
  if (!url) return `native ${fn}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.includes("/.next/")) return "app bundle (our code, drizzle, zod, tRPC)";
  if (url.startsWith("wasm://")) return "a WebAssembly module";
  return path.basename(url);
}

/** `windowMs`: only the samples of the profile's last `windowMs` (the measured load, not start-up). */
function summarise(profile: CpuProfile, ops: number, windowMs: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  const from = profile.endTime - windowMs * 1000;
  for (const [i, id] of profile.samples.entries()) {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < from) continue;
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") continue;
    busy += us;
    // Node's own code and native frames (a socket write, a hash, the parser) count for whoever called
    // them: the nearest frame of a package or of the app's bundle.
    let where =
      frame.functionName === "(garbage collector)" ? "gc" : "node, no JS caller (timers, I/O callbacks)";
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const f = byId.get(up)?.callFrame;
      if (f?.url && !f.url.startsWith("node:")) {
        where = origin(f.url, f.functionName);
        break;
      }
    }
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
    const fnKey = `${frame.functionName || "(anonymous)"} — ${origin(frame.url, frame.functionName)}`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + us);
  }
  const perOp = (us: number) => Math.round((us / 1000 / ops) * 1000) / 1000;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, msPerOp: perOp(us), share: Math.round((1000 * us) / busy) / 10 }));
  return { busyMsPerOp: perOp(busy), byOrigin: top(byOrigin, 25), topFunctions: top(byFunction, 40) };
}

async function main(): Promise<number> {
  const run = runInfo();
  await ensureBuild();
  const stack = await startBenchStack({
    offset: 650,
    env: { RESEND_RATE_LIMIT: "100", TRUSTED_PROXY_HOPS: "1" },
  });
  const profDir = path.join(process.cwd(), ".data", "profiles", run.runId);
  rmSync(profDir, { recursive: true, force: true });
  try {
    const ids = (
      await stack.sql<{ id: number }[]>`
        select id from sailings where status = 'SCHEDULED' and departure_at > now() + interval '2 days'
        order by departure_at`
    ).map((r) => r.id);
    const app = await stack.addApp("profiled", {
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=250`,
    });
    const origin = app.url;
    const request = (i: number) => ({
      method: "POST" as const,
      path: "/api/trpc/booking.create",
      headers: trpcPostHeaders({ baseUrl: origin, clientAddress: clientIp(i) }),
      body: encodeInput(
        oneAdultBooking(ids[i % ids.length] as number, `profile${i}@example.com`, {
          firstName: "Bench",
          lastName: surname(i),
          documentNumber: `P${100000 + i}`,
        }),
      ) as string,
    });
    const ok = (status: number, text: string) => status === 200 && /"checkoutUrl":"http/.test(text);
    await openLoop({ origin, rate: RATE, durationS: WARMUP, request, ok });
    await waitIdle({ sql: stack.sql, appPort: Number(new URL(origin).port), stripeUrl: stack.urls.stripe });
    const measuredFrom = Date.now();
    const measured = await openLoop({
      origin,
      rate: RATE,
      durationS: DURATION,
      request: (k) => request(100_000 + k),
      ok,
    });
    const windowMs = Date.now() - measuredFrom;
    // Only the server is asked to stop, and waited for: it writes its profile on the way out, and
    // stopping the process group would kill it once npm, its parent, has gone.
    const [server] = listeningPids(Number(new URL(origin).port));
    if (server === undefined) throw new Error("the profiled app no longer listens");
    process.kill(server, "SIGTERM");
    await pollUntil(
      async () => existsSync(`/proc/${server}`),
      (alive) => !alive,
      { what: "the profiled server to exit and write its profile", timeoutMs: 60_000, intervalMs: 200 },
    );
    await app.process.stop();
    // npm and the Next CLI write small profiles of their own; the server's is the largest.
    const files = readdirSync(profDir).map((f) => path.join(profDir, f));
    const biggest = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
    if (!biggest) throw new Error(`no CPU profile was written to ${profDir}`);
    const profile = JSON.parse(readFileSync(biggest, "utf8")) as CpuProfile;
    // Start-up and the warm-up are in the profile too: only the measured load's window is counted.
    const ops = measured.sent;
    const summary = summarise(profile, ops, windowMs);
    const dir = path.join(process.cwd(), "bench", "results", run.runId);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "booking-profile.json");
    const body = {
      name: "booking-profile",
      ...run,
      finishedAt: new Date().toISOString(),
      settings: { rate: RATE, durationS: DURATION, warmupS: WARMUP, samplingIntervalUs: 250, windowMs },
      bookings: ops,
      errors: measured.errors,
      ...summary,
    };
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    console.log(`busy ${summary.busyMsPerOp} ms per booking (wall-clock samples, ${ops} bookings)`);
    for (const o of summary.byOrigin.slice(0, 15))
      console.log(`${String(o.msPerOp).padStart(8)} ms  ${String(o.share).padStart(5)} %  ${o.name}`);
    console.log(`(written to ${path.relative(process.cwd(), file)}; raw profile ${biggest})`);
    return measured.errors > 0 ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

runMain(main);
