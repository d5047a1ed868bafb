import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allInvariants } from "./lib/invariants";
import { pollUntil } from "./lib/proc";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import {
  confirmationEmailCounts,
  createBookings,
  payOnStripe,
  statuses,
  stripeControl,
  stripeEvents,
} from "./lib/traverse";

/**
 * A storm of 1,000 webhook deliveries — every event 20 times, shuffled (so duplicates
 * and reordering: an `expired` for one booking lands between the `completed`s of others, the same event
 * arrives on four connections at once) — must have each event's effect exactly once: one stripe_events
 * row per event id, one confirmation (and one email) per paid booking, no refund for a duplicate
 * `completed`, and the expired sessions' payments marked FAILED without touching their holds.
 */
const SCENARIO = "webhook-storm";
const PAID = 40;
const EXPIRED = 10;
const DELIVERIES = 1_000;
const STREAMS = 4;

describe("a storm of 1,000 duplicate and reordered webhook deliveries", () => {
  let stack: FaultStack;

  beforeAll(async () => {
    const t = timer();
    stack = await startFaultStack(SCENARIO);
    record(SCENARIO, "stack up", { ms: t() });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("applies each event exactly once", async () => {
    const paid = await createBookings(stack, PAID, "ws-paid");
    const expired = await createBookings(stack, EXPIRED, "ws-exp");
    const sessions = new Set([...paid, ...expired].map((b) => b.sessionId!));

    // Events queue up in the emulator instead of being sent; the storm below is their only delivery.
    await stripeControl(stack, "webhooks/pause");
    for (const b of paid) await payOnStripe(stack, b.sessionId!);
    for (const b of expired) await stripeControl(stack, `checkout/sessions/${b.sessionId}/expire`);
    const events = (await stripeEvents(stack)).filter((e) => sessions.has(e.event.data.object.id));
    const byType: Record<string, number> = {};
    for (const e of events) byType[e.event.type] = (byType[e.event.type] ?? 0) + 1;
    expect(byType).toEqual({ "checkout.session.completed": PAID, "checkout.session.expired": EXPIRED });

    const ids = events.map((e) => e.event.id);
    const deliveries = shuffle(Array.from({ length: DELIVERIES }, (_, i) => ids[i % ids.length]!));
    const storm = timer();
    const streams = await Promise.all(
      Array.from(
        { length: STREAMS },
        (_, s) =>
          stripeControl(stack, "deliver", {
            ids: deliveries.filter((_, i) => i % STREAMS === s),
          }) as Promise<{ attempts: { status: number | null; error: string | null }[] }>,
      ),
    );
    const attempts = streams.flatMap((r) => r.attempts);
    const answered: Record<string, number> = {};
    for (const a of attempts) {
      const k = String(a.status ?? a.error);
      answered[k] = (answered[k] ?? 0) + 1;
    }
    record(SCENARIO, "storm", { deliveries: attempts.length, ms: storm(), answered });
    expect(attempts.length).toBe(DELIVERIES);
    expect(answered, "every delivery acknowledged with a 200").toEqual({ "200": DELIVERIES });
    await stripeControl(stack, "webhooks/resume");

    const paidRefs = paid.map((b) => b.reference);
    const expiredRefs = expired.map((b) => b.reference);
    const settled = await pollUntil(
      async () => {
        const [s, unprocessed] = await Promise.all([
          statuses(stack.sql, paidRefs),
          stack.sql<{ n: number }[]>`select count(*)::int as n from stripe_events where processed_at is null`,
        ]);
        return { confirmed: s.CONFIRMED ?? 0, unprocessed: unprocessed[0]?.n ?? -1 };
      },
      (v) => v.confirmed === PAID && v.unprocessed === 0,
      {
        what: "every paid booking confirmed and every stored event processed",
        timeoutMs: 60_000,
        intervalMs: 300,
      },
    );
    record(SCENARIO, "processed", { ...settled.value, msAfterStorm: settled.ms });

    const rows = await stack.sql<{ n: number; distinct_ids: number }[]>`
      select count(*)::int as n, count(distinct id)::int as distinct_ids from stripe_events`;
    expect(rows[0], "one stripe_events row per event id").toEqual({
      n: ids.length,
      distinct_ids: ids.length,
    });
    expect(await statuses(stack.sql, paidRefs)).toEqual({ CONFIRMED: PAID });
    expect(await statuses(stack.sql, expiredRefs), "an expired session leaves its booking pending").toEqual({
      PENDING_PAYMENT: EXPIRED,
    });
    const payments = await stack.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from payments group by status order by status`;
    expect(Object.fromEntries(payments.map((p) => [p.status, p.n]))).toEqual({
      COMPLETED: PAID,
      FAILED: EXPIRED,
    });
    const refunds = await stack.sql`select id, status, reason from refunds`;
    expect(refunds, "a duplicate `completed` must never trigger a refund").toEqual([]);

    const emails = await pollUntil(
      () => confirmationEmailCounts(stack, paidRefs),
      (e) => e.missing.length === 0,
      { what: "a confirmation email at Resend for every paid booking", timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(emails.value.missing).toEqual([]);
    expect(emails.value.duplicated).toEqual([]);
    const inv = await allInvariants(stack.sql);
    expect(inv).toEqual({
      halfWritten: [],
      inventory: [],
      confirmedWithoutOnePayment: [],
      confirmationOutbox: [],
    });
  });
});

/** Fisher–Yates with a fixed seed, so a failure can be replayed with the same order. */
function shuffle<T>(xs: T[], seed = 8): T[] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
