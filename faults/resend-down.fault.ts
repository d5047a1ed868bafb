import { describe, expect, it } from "vitest";
import { payOnStripe, resendControl } from "../tests/support/emulators";
import { pollUntil, sleep } from "../tests/support/poll";
import { expectInvariantsHold } from "./lib/invariants";
import { record, scenarioStack, timer } from "./lib/report";
import { type Created, confirmationEmailCounts, createBookings, statuses } from "./lib/traverse";

/**
 * Resend answers 500 to everything for a minute while bookings are confirmed. Every
 * confirmation must reach Resend once it recovers — each exactly once (the outbox id is the
 * Idempotency-Key) — and bookings are confirmed regardless: email never blocks a payment.
 */
const SCENARIO = "resend-down";
const OUTAGE_S = 60;
const PER_WAVE = 8;

describe("Resend failing for a minute", () => {
  const stackOf = scenarioStack(SCENARIO);

  it("delivers every email once after the outage", async () => {
    const stack = stackOf();
    // Two waves, so emails first fail at different points of the outage (and so retry on different schedules).
    const early = await createBookings(stack, PER_WAVE, "rd-early");
    const late = await createBookings(stack, PER_WAVE, "rd-late");
    const all: Created[] = [...early, ...late];
    const refs = all.map((b) => b.reference);

    await resendControl(stack.urls.resend, "down", { seconds: OUTAGE_S });
    const outage = timer();
    for (const b of early) await payOnStripe(stack.urls.stripe, b.sessionId!);
    // Pacing, not synchronisation: the second wave is paid 35 s into the outage, so its emails fail at a
    // different point of the retry schedule than the first wave's.
    await sleep(35_000);
    for (const b of late) await payOnStripe(stack.urls.stripe, b.sessionId!);

    const confirmed = await pollUntil(
      () => statuses(stack.sql, refs),
      (s) => s.CONFIRMED === refs.length,
      { what: "every booking confirmed while Resend is down", timeoutMs: 20_000, intervalMs: 300 },
    );
    expect(confirmed.value, "Resend being down must not hold up confirmations").toEqual({
      CONFIRMED: refs.length,
    });
    const during = await stack.sql<{ status: string; n: number; attempts: number }[]>`
      select status, count(*)::int as n, coalesce(sum(attempts), 0)::int as attempts
      from email_outbox where kind = 'booking_confirmed' group by status`;
    const sentDuring = await confirmationEmailCounts(stack, refs);
    record(SCENARIO, "during outage", {
      atMs: outage(),
      outbox: during,
      reachedResend: refs.length - sentDuring.missing.length,
    });
    expect(sentDuring.missing.length, "no email can be accepted while Resend is down").toBe(refs.length);

    const delivered = await pollUntil(
      () => confirmationEmailCounts(stack, refs),
      (e) => e.missing.length === 0,
      { what: "every confirmation email delivered after the outage", timeoutMs: 150_000, intervalMs: 1_000 },
    );
    record(SCENARIO, "after outage", {
      allDeliveredAtMs: outage(),
      afterOutageEndMs: outage() - OUTAGE_S * 1000,
      missing: delivered.value.missing.length,
      duplicated: delivered.value.duplicated,
    });
    expect(delivered.value.missing, "emails never delivered after the outage").toEqual([]);
    expect(delivered.value.duplicated, "emails delivered more than once").toEqual([]);

    // Resend has every email; the worker marks each SENT just after Resend answers, so wait for that.
    const { value: outbox } = await pollUntil(
      () => stack.sql<{ status: string; n: number; min_attempts: number }[]>`
        select status, count(*)::int as n, min(attempts)::int as min_attempts
        from email_outbox where kind = 'booking_confirmed' group by status`,
      (rows) => rows.every((r) => r.status === "SENT"),
      { what: "every confirmation marked SENT once Resend has it", timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(outbox.map((r) => [r.status, r.n])).toEqual([["SENT", refs.length]]);
    expect(outbox[0]!.min_attempts, "every email should have been retried at least once").toBeGreaterThan(1);
    await expectInvariantsHold(stack.sql);
  });
});
