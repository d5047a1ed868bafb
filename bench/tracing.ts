import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { createCaller } from "@/server/api/root";
import { currentTraceparent, inSpan } from "@/server/lib/tracing";
import { registerTracing } from "@/server/lib/tracing-sdk";
import type { Services } from "@/server/services";
import {
  type Check,
  exitCode,
  exitOptions,
  formatChecks,
  goal,
  injectedFailure,
  outcome,
  outcomeEquals,
} from "./lib/checks";

/**
 * `npm run bench:tracing`: what tracing costs, in-process (no stack, no network: the figures are the
 * instrumentation alone). Every tRPC call runs in a span (`inSpan` in src/server/api/trpc.ts) and every
 * enqueue asks for the active traceparent; without OTEL_EXPORTER_OTLP_ENDPOINT no SDK is registered and
 * both go to the OpenTelemetry API's no-op. Measured, median of `--rounds` rounds of `--calls` calls:
 *
 * - a bare async call, the same call inside `inSpan` without an SDK, and with the SDK (in-memory exporter);
 * - `system.ping` through the tRPC caller (the framework floor) without and with the SDK.
 *
 * Outcome checks: without the SDK nothing is recorded and no traceparent exists; with it every call is
 * one exported span. Goal: the no-SDK span costs under 3 % of the cheapest procedure call.
 */
const arg = (name: string, dflt: number) => {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`));
  return v ? Number(v.split("=")[1]) : dflt;
};
const calls = arg("calls", 20_000);
const rounds = arg("rounds", 7);

/** Nanoseconds per call: the median over rounds (the machine is shared; the median ignores bursts). */
async function nsPerCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await fn(); // warm-up: JIT, caches
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    perRound.push(Number(process.hrtime.bigint() - start) / calls);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)]!;
}

async function main() {
  // system.ping reads nothing from its Services: an empty object keeps databases out of the figures.
  const caller = createCaller({ svc: {} as Services, headers: new Headers(), ip: "bench" });
  const bare = () => Promise.resolve(1);
  const spanned = () => inSpan("bench", {}, bare);
  const ping = () => caller.system.ping();

  let seenTraceparent = currentTraceparent() !== undefined;
  const off = {
    bare: await nsPerCall(bare),
    span: await nsPerCall(spanned),
    ping: await nsPerCall(ping),
  };
  await inSpan("probe", {}, async () => {
    seenTraceparent ||= currentTraceparent() !== undefined;
  });

  const exporter = new InMemorySpanExporter();
  const tracing = registerTracing({ serviceName: "bench", exporter });
  const on = { span: await nsPerCall(spanned), ping: 0 };
  exporter.reset();
  await ping();
  const pingSpans = exporter.getFinishedSpans().map((s) => s.name);
  // Keep memory flat: the exporter would otherwise hold every span of the measurement.
  const resetter = setInterval(() => exporter.reset(), 50);
  on.ping = await nsPerCall(ping);
  clearInterval(resetter);
  let tracedParent: string | undefined;
  await inSpan("probe", {}, async () => {
    tracedParent = currentTraceparent();
  });
  await tracing.shutdown();

  const us = (ns: number) => Math.round(ns) / 1000;
  const overheadOff = Math.max(0, off.span - off.bare);
  const rows = [
    ["bare async call", us(off.bare), "–"],
    ["inSpan(fn) around that call", us(off.span), us(on.span)],
    ["system.ping via tRPC caller", us(off.ping), us(on.ping)],
  ];
  console.log(`tracing overhead: ${calls} calls × ${rounds} rounds, median µs per call`);
  console.log("| path | no SDK (default) | SDK, in-memory exporter |");
  console.log("|---|---:|---:|");
  for (const [name, a, b] of rows) console.log(`| ${name} | ${a} | ${b} |`);
  console.log(
    `span without SDK: +${us(overheadOff)} µs per call = ${((overheadOff / off.ping) * 100).toFixed(2)} % of system.ping; with the SDK: +${us(on.span - off.bare)} µs`,
  );

  const checks: Check[] = [
    outcomeEquals("no traceparent exists without an SDK", seenTraceparent, false),
    outcomeEquals("with the SDK, one call to system.ping is one span", pingSpans, ["system.ping"]),
    outcome(
      "with the SDK, the active span has a traceparent",
      tracedParent ?? null,
      "00-<trace>-<span>-01",
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(tracedParent ?? ""),
    ),
    goal(
      "a span without SDK costs < 3 % of system.ping",
      `${((overheadOff / off.ping) * 100).toFixed(2)} %`,
      "< 3 %",
      overheadOff < 0.03 * off.ping,
    ),
    ...injectedFailure(),
  ];
  const opts = exitOptions();
  console.log(formatChecks(checks, opts));
  process.exit(exitCode(checks, opts));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
