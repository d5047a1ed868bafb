import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OperatorEmulator, startOperatorEmulator } from "../emulators/operator/server";
import { localDate } from "@/shared/dates";
import { payOnStripe, resendEmails, sessionIdOf } from "../tests/support/emulators";
import { pollUntil } from "../tests/support/poll";
import { expectInvariantsHold } from "./lib/invariants";
import { record, timer } from "./lib/report";
import { type FaultStack, startFaultStack } from "./lib/stack";
import { api, detailOf, statuses } from "./lib/traverse";

/**
 * A connected operator (GNV, an in-process operator emulator the stack's app and worker reach through
 * OPERATOR_GNV_URL) failing around a booking:
 * (a) down while travellers book: each gets a clear "try again" answer, nothing is held anywhere, and
 *     booking works again once it is back;
 * (b) refusing to confirm after the traveller paid (its provisional booking lapsed): the booking is
 *     refunded in full with an email saying so, and never CONFIRMED;
 * (c) cancelling a sailing that travellers have paid for: the worker learns it from the operator's change
 *     feed (`sync_operator_changes`, every minute), and each booking on it gets the sailing notice and a
 *     full refund.
 */
const SCENARIO = "operator-booking";
const N = 6;

let stack: FaultStack;
let gnv: OperatorEmulator;

beforeAll(async () => {
  gnv = await startOperatorEmulator({ code: "GNV", latency: null, rateLimit: null, load: 0 });
  const t = timer();
  stack = await startFaultStack(SCENARIO, {
    env: {
      OPERATOR_GNV_URL: gnv.url,
      OPERATOR_GNV_API_KEY: "faults-operator-key",
      OPERATOR_TIMEOUT_MS: "800",
    },
  });
  record(SCENARIO, "stack up", { ms: t() });
  // The seed's own-inventory copies of GNV's sailings would sit at the same departures as the shadows.
  await stack.sql`delete from sailings where operator_sailing_id is null
    and route_id in (select id from routes where operator_code = 'GNV')`;
  await stack.sql`update operators set kind = 'connected', enabled = true where code = 'GNV'`;
});
afterAll(async () => {
  await stack?.stop();
  await gnv?.close();
});

async function gnvSailing(daysAhead: number): Promise<{ id: string; ref: string }> {
  const date = localDate(new Date(Date.now() + daysAhead * 86_400_000), "Africa/Tunis");
  const res = await fetch(`${gnv.url}/ferrygateway/v1/GetSailings`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer faults-operator-key" },
    body: JSON.stringify({ from: "TUN", to: "PMO", date, passengers: { adults: 1 } }),
  });
  const ref = ((await res.json()) as { sailings: { sailingId: string }[] }).sailings[0]?.sailingId;
  if (!ref) throw new Error(`no GNV TUN→PMO sailing on ${date}`);
  return { id: `GNV:${ref}`, ref };
}

const input = (sailingId: string, i: number, tag: string) => ({
  outbound: { sailingId, accommodation: "DECK" },
  passengers: [
    {
      type: "adult",
      firstName: "Amira",
      lastName: "Ben Salah",
      nationality: "TN",
      documentNumber: `X${100000 + i}`,
    },
  ],
  contact: { email: `${tag}-${i}@example.com` },
});

const control = (path: string, body: unknown) =>
  fetch(`${gnv.url}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const operatorBookings = async () =>
  (
    (await (await fetch(`${gnv.url}/_emulator/bookings`)).json()) as {
      bookings: { agentReference: string; status: string }[];
    }
  ).bookings;

describe("a connected operator failing around a booking", () => {
  it("down while travellers book: a clear message, nothing held anywhere, bookable again once back", async () => {
    const sailing = await gnvSailing(10);
    await control("down", { seconds: 3_600 });
    const client = api(stack);
    const t = timer();
    const answers = [];
    for (let i = 0; i < N; i++) answers.push(await client.call("booking.create", input(sailing.id, i, "od")));
    record(SCENARIO, "booked while the operator is down", { attempts: N, ms: t() });
    for (const r of answers) {
      expect(r.status, detailOf(r)).toBe(503);
      expect(detailOf(r)).toMatch(/try again/i);
    }
    const [count] = await stack.sql<{ n: number }[]>`select count(*)::int as n from bookings`;
    expect(count?.n).toBe(0);
    expect(await operatorBookings()).toEqual([]);

    await control("down", { seconds: 0 });
    // The breaker lets a probe through after its cooldown: poll until a booking goes through.
    const back = timer();
    const ok = await pollUntil(
      () => client.call<{ reference: string }>("booking.create", input(sailing.id, 100, "od")),
      (r) => r.status === 200,
      { what: "a booking once the operator is back", timeoutMs: 60_000, intervalMs: 2_000 },
    );
    record(SCENARIO, "bookable again", { msAfterBack: back() });
    expect(await statuses(stack.sql, [ok.value.data!.reference])).toEqual({ PENDING_PAYMENT: 1 });
    const held = await operatorBookings();
    expect(held.map((b) => b.status)).toEqual(["PROVISIONAL"]);
    await expectInvariantsHold(stack.sql);
  }, 120_000);

  it("refusing to confirm after payment: refunded in full with an email, never CONFIRMED", async () => {
    const sailing = await gnvSailing(11);
    const created = await api(stack).call<{ reference: string; checkoutUrl: string }>(
      "booking.create",
      input(sailing.id, 200, "orc"),
    );
    expect(created.status, detailOf(created)).toBe(200);
    const reference = created.data!.reference;
    // The provisional booking lapses at the operator before the payment arrives: confirm is refused.
    await control("clock", { advanceMinutes: 50 });
    await payOnStripe(stack.urls.stripe, sessionIdOf(created.data!.checkoutUrl)!);
    const seen = new Set<string>();
    await pollUntil(
      async () => {
        const s = await statuses(stack.sql, [reference]);
        for (const k of Object.keys(s)) seen.add(k);
        return s;
      },
      (s) => s.CANCELLED === 1,
      { what: "the unconfirmed booking cancelled", timeoutMs: 60_000, intervalMs: 200 },
    );
    expect([...seen]).not.toContain("CONFIRMED");
    const refunds = await pollUntil(
      () =>
        stack.sql<{ status: string; reason: string; amount: number }[]>`
          select r.status, r.reason, r.amount from refunds r join bookings b on b.id = r.booking_id
          where b.reference = ${reference}`,
      (rs) => rs[0]?.status === "SUCCEEDED",
      { what: "the full refund at Stripe", timeoutMs: 60_000, intervalMs: 500 },
    );
    const [b] = await stack.sql<
      { total: number }[]
    >`select total_amount as total from bookings where reference = ${reference}`;
    expect(refunds.value.map((r) => [r.reason, r.amount])).toEqual([["OPERATOR_REFUSED", b!.total]]);
    const mail = await pollUntil(
      async () =>
        (await resendEmails(stack.urls.resend)).filter((e) => e.subject === `Payment refunded: ${reference}`),
      (m) => m.length === 1,
      { what: "the refund email at Resend", timeoutMs: 30_000, intervalMs: 500 },
    );
    record(SCENARIO, "refused confirmation refunded", { refundMs: refunds.ms, emails: mail.value.length });
    await expectInvariantsHold(stack.sql);
  }, 120_000);

  it("cancelling a paid sailing through its change feed: the notice and a full refund for each booking", async () => {
    const sailing = await gnvSailing(12);
    const client = api(stack);
    const references: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await client.call<{ reference: string; checkoutUrl: string }>(
        "booking.create",
        input(sailing.id, 300 + i, "osc"),
      );
      expect(created.status, detailOf(created)).toBe(200);
      await payOnStripe(stack.urls.stripe, sessionIdOf(created.data!.checkoutUrl)!);
      references.push(created.data!.reference);
    }
    await pollUntil(
      () => statuses(stack.sql, references),
      (s) => s.CONFIRMED === 2,
      { what: "both bookings confirmed with the operator", timeoutMs: 60_000, intervalMs: 300 },
    );
    const t = timer();
    const cancelled = await control("cancel-sailing", { sailingId: sailing.ref, reason: "WEATHER" });
    expect(cancelled.status).toBe(200);
    // Nothing tells the app but the feed, read by the worker's minute cron.
    await pollUntil(
      () => statuses(stack.sql, references),
      (s) => s.CANCELLED === 2,
      { what: "both bookings cancelled from the change feed", timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const refunds = await pollUntil(
      () =>
        stack.sql<{ reference: string; status: string; amount: number; total: number }[]>`
          select b.reference, r.status, r.amount, b.total_amount as total
          from refunds r join bookings b on b.id = r.booking_id
          where b.reference in ${stack.sql(references)}`,
      (rs) => rs.length === 2 && rs.every((r) => r.status === "SUCCEEDED"),
      { what: "a full refund for each booking", timeoutMs: 60_000, intervalMs: 500 },
    );
    for (const r of refunds.value) expect(r.amount).toBe(r.total);
    const notices = await pollUntil(
      async () =>
        (await resendEmails(stack.urls.resend)).filter(
          (e) =>
            e.subject.startsWith("Sailing cancelled:") && references.some((ref) => e.subject.includes(ref)),
        ),
      (m) => m.length === 2,
      { what: "the sailing notice to each traveller", timeoutMs: 60_000, intervalMs: 500 },
    );
    record(SCENARIO, "operator-cancelled sailing", { ms: t(), refunds: 2, notices: notices.value.length });
    await expectInvariantsHold(stack.sql);
  }, 240_000);
});
