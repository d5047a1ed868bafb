import Stripe from "stripe";
import { sessionIdOf, tryPayOnStripe } from "../tests/support/emulators";
import { oneAdultBooking } from "../tests/support/fixtures";
import { sleep } from "../tests/support/poll";
import { percentile } from "../tests/support/stats";
import { encodeInput, trpcClient, trpcPostHeaders } from "../tests/support/trpc-http";
import { type Check, goal, outcome, outcomeEquals } from "./lib/checks";
import {
  acceptedPerIdempotencyKey,
  inventoryNotMatchingBookings,
  inventoryOverCapacity,
} from "./lib/consistency";
import { waitIdle } from "./lib/drain";
import { arg, generatorOnTime, openLoopRow, type Plan, saturation, type Target } from "./lib/measure";
import { surname } from "./lib/names";
import { finish, type Rep, type Row, runInfo, summarize, runMain } from "./lib/report";
import { clientIp, ensureBuild, startBenchStack } from "./lib/stack";

/**
 * `npm run bench:booking`: booking.create at saturation and at a fixed open-loop rate (CPU per booking in
 * the app and in PostgreSQL), webhook acknowledgement, Stripe-event-to-CONFIRMED latency, and the 200-way
 * race for 10 places; then the outcome checks (exactly 10 holds, every paid booking confirmed and emailed
 * exactly once, inventory consistent). The stack is the production build with its worker and emulators.
 */
const OFFSET = arg("offset", 600);
const DURATION = arg("duration", 10);
const REPS = arg("reps", 3);
const WARMUP = arg("warmup", 3);
const RATE = arg("rate", 20);
const PAYMENTS = arg("payments", 60);
const CPU_GOAL_MS = 10;

function input(sailingId: number, i: number) {
  return oneAdultBooking(sailingId, `bench${i}@example.com`, {
    firstName: "Bench",
    lastName: surname(i),
    documentNumber: `B${100000 + i}`,
  });
}

async function main(): Promise<number> {
  const run = runInfo();
  await ensureBuild();
  const stack = await startBenchStack({
    offset: OFFSET,
    // A paid Resend plan (the default 2 requests/s would measure Resend's queue, not ours); one proxy hop
    // so each virtual traveller's X-Forwarded-For is its own client for the per-client limits.
    env: { RESEND_RATE_LIMIT: "100", TRUSTED_PROXY_HOPS: "1" },
  });
  const database = stack.databaseName;
  const sql = stack.sql;
  // The 200-way race may keep a busy machine's answers waiting well beyond the usual 30 s.
  const api = trpcClient(stack.appUrl, { timeoutMs: 180_000 });
  // The emulator's secret this stack runs with: benchmark events are signed like Stripe's.
  const webhookSecret = stack.vars.STRIPE_WEBHOOK_SECRET as string;
  const appPort = Number(new URL(stack.appUrl).port);
  const idle = () => waitIdle({ sql, appPort, stripeUrl: stack.urls.stripe, resendUrl: stack.urls.resend });
  const rows: Row[] = [];
  const checks: Check[] = [];
  const target: Target = { appUrl: stack.appUrl, sql, database };
  const plan: Plan = { reps: REPS, warmupS: WARMUP, before: async () => void (await idle()) };
  try {
    const sailingIds = (
      await sql<{ id: number }[]>`
        select id from sailings where status = 'SCHEDULED' and departure_at > now() + interval '2 days'
        order by departure_at`
    ).map((r) => r.id);
    const raceSailing = sailingIds.pop() as number;
    const body = (i: number) => encodeInput(input(sailingIds[i % sailingIds.length] as number, i)) as string;
    const headers = (i: number) => trpcPostHeaders({ baseUrl: stack.appUrl, clientAddress: clientIp(i) });

    // 1. booking.create, spread over every sailing so that none sells out.
    let n = 0;
    rows.push(
      await saturation(
        target,
        "booking.create",
        {
          url: `${stack.appUrl}/api/trpc/booking.create`,
          method: "POST",
          connections: 50,
          duration: DURATION,
          requests: [
            {
              setupRequest: (req) => {
                const i = n++;
                return { ...req, body: body(i), headers: headers(i) };
              },
            },
          ],
        },
        { ...plan, note: "includes creating the Checkout session" },
      ),
    );
    const created = await openLoopRow(
      target,
      "booking.create",
      {
        rate: RATE,
        durationS: DURATION,
        request: (k) => {
          const i = 500_000 + k;
          return { method: "POST", path: "/api/trpc/booking.create", headers: headers(i), body: body(i) };
        },
        ok: (status, text) => status === 200 && /"checkoutUrl":"http/.test(text),
      },
      { ...plan, note: "every answer must carry a checkout URL" },
    );
    rows.push(created);

    // 2. Webhook acknowledgement: verify, record, enqueue, 200. Unique ids, a type the worker ignores.
    const stripe = new Stripe("sk_test_unused");
    let w = 0;
    const event = () => {
      const payload = JSON.stringify({
        id: `evt_bench_${process.pid}_${w++}`,
        object: "event",
        type: "customer.created",
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: "cus_bench" } },
      });
      const sig = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
      return { payload, headers: { "content-type": "application/json", "stripe-signature": sig } };
    };
    rows.push(
      await saturation(
        target,
        "webhook acknowledgement",
        {
          url: `${stack.appUrl}/api/webhooks/stripe`,
          method: "POST",
          connections: 10,
          duration: DURATION,
          requests: [
            {
              setupRequest: (req) => {
                const e = event();
                return { ...req, body: e.payload, headers: e.headers };
              },
            },
          ],
        },
        plan,
      ),
    );
    rows.push(
      await openLoopRow(
        target,
        "webhook acknowledgement",
        {
          rate: RATE * 2.5,
          durationS: DURATION,
          request: () => {
            const e = event();
            return { method: "POST", path: "/api/webhooks/stripe", headers: e.headers, body: e.payload };
          },
        },
        plan,
      ),
    );

    // 3. Stripe event → CONFIRMED: per repetition, PAYMENTS bookings paid on the emulator at a steady
    // 20/s; each latency runs from the payment to the booking's confirmed_at.
    const paid: string[] = [];
    const confirmReps: Rep[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      await idle();
      const sessions: { sessionId: string; reference: string }[] = [];
      for (let i = 0; i < PAYMENTS; i++) {
        const k = 1_000_000 + rep * 10_000 + i;
        const r = await api.call<{ reference: string; checkoutUrl: string | null }>(
          "booking.create",
          input(sailingIds[(k * 7) % sailingIds.length] as number, k),
          { clientAddress: clientIp(k) },
        );
        if (!r.data?.checkoutUrl)
          throw new Error(`booking.create failed before paying: ${r.status} ${r.error?.message}`);
        sessions.push({ sessionId: sessionIdOf(r.data.checkoutUrl) as string, reference: r.data.reference });
      }
      await idle();
      const paidAt = new Map<string, number>();
      const t0 = Date.now();
      for (const [i, s] of sessions.entries()) {
        const due = t0 + i * 50;
        // Pacing: one payment every 50 ms.
        if (due > Date.now()) await sleep(due - Date.now());
        if (await tryPayOnStripe(stack.urls.stripe, s.sessionId)) paidAt.set(s.reference, Date.now());
      }
      paid.push(...paidAt.keys());
      // Up to a minute; what is still unconfirmed then counts as the repetition's errors (not a throw).
      const deadline = Date.now() + 60_000;
      let confirmed: { reference: string; confirmed_at: Date }[] = [];
      while (Date.now() < deadline) {
        confirmed = await sql<{ reference: string; confirmed_at: Date }[]>`
          select reference, confirmed_at from bookings where reference in ${sql([...paidAt.keys()])} and status = 'CONFIRMED'`;
        if (confirmed.length === paidAt.size) break;
        await sleep(200);
      }
      const lat = confirmed.map((c) => c.confirmed_at.getTime() - (paidAt.get(c.reference) as number));
      confirmReps.push({
        p50: percentile(lat, 50),
        p95: percentile(lat, 95),
        p99: percentile(lat, 99),
        rps: null,
        requests: sessions.length,
        errors: sessions.length - confirmed.length,
      });
    }
    rows.push({
      scenario: "Stripe payment → CONFIRMED",
      mode: "sequence",
      load: "20 payments/s",
      reps: confirmReps,
      note: "webhook + queue + worker",
    });

    // 4. The 200-way race for the last 10 places.
    await idle();
    await sql`update inventory set capacity = held + sold + 10 where sailing_id = ${raceSailing} and resource = 'DECK'`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api
          .call("booking.create", input(raceSailing, 2_000_000 + i), {
            clientAddress: clientIp(2_000_000 + i),
          })
          .then((r) => r.status),
      ),
    );
    const [inv] = await sql<{ capacity: number; held: number; sold: number }[]>`
      select capacity, held, sold from inventory where sailing_id = ${raceSailing} and resource = 'DECK'`;
    const holds = await sql<{ n: number }[]>`
      select count(distinct b.id)::int as n from booking_holds h join bookings b on b.id = h.booking_id
      where h.sailing_id = ${raceSailing} and b.status = 'PENDING_PAYMENT'`;
    checks.push(
      outcomeEquals(
        "200-way race for 10 places: answers 200 / 409 / other",
        [
          results.filter((s) => s === 200).length,
          results.filter((s) => s === 409).length,
          results.filter((s) => s !== 200 && s !== 409).length,
        ],
        [10, 190, 0],
      ),
    );
    checks.push(outcomeEquals("200-way race: bookings holding the sailing", holds[0]?.n, 10));
    checks.push(
      outcomeEquals(
        "200-way race: held + sold = capacity",
        inv ? inv.held + inv.sold === inv.capacity : null,
        true,
      ),
    );

    // 5. Outcomes once everything has drained.
    await idle();
    const notConfirmed = await sql<{ n: number }[]>`
      select count(*)::int as n from bookings where reference in ${sql(paid)} and status <> 'CONFIRMED'`;
    const outbox = await sql<{ id: string; status: string }[]>`
      select o.id, o.status from bookings b join email_outbox o on o.booking_id = b.id and o.kind = 'booking_confirmed'
      where b.reference in ${sql(paid)}`;
    const received = await acceptedPerIdempotencyKey(stack.urls.resend);
    checks.push(outcomeEquals("inventory rows over capacity", await inventoryOverCapacity(sql), 0));
    checks.push(
      outcomeEquals("inventory rows not matching their bookings", await inventoryNotMatchingBookings(sql), 0),
    );
    checks.push(
      outcome(
        "paid bookings confirmed",
        `${paid.length - (notConfirmed[0]?.n ?? 0)} / ${paid.length}`,
        `all of ${REPS * PAYMENTS}`,
        paid.length === REPS * PAYMENTS && notConfirmed[0]?.n === 0,
      ),
    );
    checks.push(
      outcomeEquals("paid bookings with exactly one confirmation email queued", outbox.length, paid.length),
    );
    checks.push(
      outcomeEquals(
        "confirmation emails not SENT (lost or stuck)",
        outbox.filter((o) => o.status !== "SENT").length,
        0,
      ),
    );
    checks.push(
      outcomeEquals(
        "confirmations Resend received other than exactly once",
        outbox.filter((o) => received.get(o.id) !== 1).length,
        0,
      ),
    );
    for (const r of rows.filter((x) => x.mode !== "sequence"))
      checks.push(outcomeEquals(`${r.scenario} (${r.mode}): failed answers`, summarize(r).errors, 0));
    checks.push(...generatorOnTime(rows));
    const cpu = summarize(created).appCpuMsPerOp?.median ?? null;
    checks.push(
      goal(
        "booking.create CPU in the app process tree (open loop, median)",
        cpu === null ? "not measurable" : `${cpu.toFixed(2)} core-ms`,
        `≤ ${CPU_GOAL_MS} core-ms`,
        cpu !== null && cpu <= CPU_GOAL_MS,
      ),
    );
  } finally {
    await stack.stop();
  }
  return finish("booking", run, rows, checks, {
    offset: OFFSET,
    durationS: DURATION,
    reps: REPS,
    warmupS: WARMUP,
    openLoopRate: RATE,
    paymentsPerRep: PAYMENTS,
  });
}

runMain(main);
