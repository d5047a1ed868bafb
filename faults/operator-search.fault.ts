import { describe, expect, it } from "vitest";
import { addDays } from "@/shared/dates";
import { pollUntil } from "../tests/support/poll";
import { record, scenarioStack, timer } from "./lib/report";
import type { FaultStack } from "./lib/stack";
import { api, detailOf } from "./lib/traverse";

/**
 * Connected operators misbehaving on the search side. Tunis–Genoa is sailed by CTN (own, Tue/Sat) and GNV
 * (connected, Tue/Thu/Sun): every search must still answer 200, in time (OPERATOR_TIMEOUT_MS, 1500 ms, plus
 * a little), with CTN's sailings, and say that GNV did not answer; once GNV is well again its sailings
 * come back without anyone clearing anything.
 *
 * - an operator slow: GNV answers in 2.5–3 s, past its timeout;
 * - a rate-limited operator: GNV answers 429 with `retry-after`; search does not retry (no storm).
 */
const SCENARIO = "operator-search";
const TIMEOUT_MS = 1_500;

interface Answer {
  sailings: { operator: { code: string } }[];
  operators: { code: string; status: string }[];
}

async function gnv(stack: FaultStack, route: string, body?: unknown) {
  const res = await fetch(`${stack.urls.operators.GNV}/_emulator/${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `GNV emulator ${route}`).toBe(true);
  return (await res.json()) as Record<string, unknown>;
}

const getSailingsCalls = async (stack: FaultStack) =>
  ((await gnv(stack, "calls")).operations as Record<string, number>).GetSailings ?? 0;

/**
 * The next Tuesday at least two days ahead, inside the fault stack's 14 seeded days: CTN and GNV both sail.
 * Each search below uses another party (adults and `children`), so each is a new cache key.
 */
function nextTuesday(): string {
  let d = addDays(new Date().toISOString().slice(0, 10), 2);
  while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 2) d = addDays(d, 1);
  return d;
}

async function search(stack: FaultStack, children: number, adults = 1) {
  const t = timer();
  const r = await api(stack).call<Answer>("search.sailings", {
    from: "TUN",
    to: "GOA",
    date: nextTuesday(),
    passengers: { adults, children, infants: 0 },
  });
  const ms = t();
  expect(r.status, detailOf(r)).toBe(200);
  const body = r.data as Answer;
  return {
    ms,
    gnv: body.operators.find((o) => o.code === "GNV")?.status,
    ctnShown: body.sailings.some((s) => s.operator.code === "CTN"),
    gnvShown: body.sailings.some((s) => s.operator.code === "GNV"),
  };
}

describe("a connected operator misbehaving while travellers search", () => {
  const stackOf = scenarioStack(SCENARIO);

  it("an operator slower than its timeout: searches answer in time with the others and say so", async () => {
    const stack = stackOf();
    await search(stack, 8); // the app's first request warms it up (directory, connections): not measured
    await gnv(stack, "latency", { minMs: 2_500, maxMs: 3_000 });
    const answers = [];
    for (let children = 0; children < 6; children++) answers.push(await search(stack, children));
    record(SCENARIO, "slow operator", {
      maxMs: Math.max(...answers.map((a) => a.ms)),
      statuses: answers.map((a) => a.gnv),
    });
    for (const a of answers) {
      expect(a.ctnShown).toBe(true);
      expect(a.gnvShown).toBe(false);
      expect(["timeout", "unavailable"]).toContain(a.gnv);
      expect(a.ms).toBeLessThanOrEqual(TIMEOUT_MS + 500);
    }
    // Well again: once its breaker lets a probe through (30 s), GNV's sailings are back by themselves.
    await gnv(stack, "latency", { minMs: 100, maxMs: 300 });
    const { value: back } = await pollUntil(
      () => search(stack, 6),
      (a) => a.gnv === "ok" || a.gnv === "cached",
      { what: "GNV's sailings to come back", timeoutMs: 60_000, intervalMs: 2_000 },
    );
    expect(back.gnvShown).toBe(true);
    expect(back.ctnShown).toBe(true);
  });

  it("a rate-limited operator: reported as not answering, asked once per search, no retry storm", async () => {
    const stack = stackOf();
    await gnv(stack, "latency", { minMs: 0, maxMs: 0 });
    await gnv(stack, "fail-next", { operation: "sailings", count: 3, status: 429 });
    const before = await getSailingsCalls(stack);
    const limited = [];
    for (const children of [0, 1, 2]) limited.push(await search(stack, children, 2));
    const after = await getSailingsCalls(stack);
    record(SCENARIO, "rate-limited operator", {
      statuses: limited.map((a) => a.gnv),
      upstreamCalls: after - before,
    });
    for (const a of limited) {
      expect(a.gnv).toBe("unavailable");
      expect(a.ctnShown).toBe(true);
      expect(a.ms).toBeLessThanOrEqual(TIMEOUT_MS + 500);
    }
    expect(after - before, "one GetSailings per search: no retries").toBe(3);
    // The limit lifted: the next search shows GNV again (a 429 is not a breaker failure).
    const ok = await search(stack, 3, 2);
    expect(ok.gnv).toBe("ok");
    expect(ok.gnvShown).toBe(true);
  });
});
