import { surname } from "./lib/names";
import postgres from "postgres";
import Stripe from "stripe";
import { load } from "./lib/load";
import { percentile, report, type Row } from "./lib/report";
import { benchDatabaseUrl, ensureBuild, startBenchStack } from "./lib/stack";
import { trpcMutation } from "./lib/trpc-http";

/**
 * `npm run bench:booking` (issue 4): booking.create under 50 concurrent clients, webhook acknowledgement,
 * Stripe-event-to-CONFIRMED latency (what a traveller waits for on the success page), and the 200-way
 * race for 10 places. The stack is the production build with its worker and the emulators.
 */
const OFFSET = 1000;
const WEBHOOK_SECRET = "whsec_traverse_dev_emulator_secret"; // the dev stack's emulator secret (scripts/local-stack.ts)

function input(sailingId: number, i: number) {
  return {
    outbound: { sailingId, accommodation: "DECK" },
    passengers: [
      {
        type: "adult",
        firstName: "Bench",
        lastName: surname(i),
        nationality: "TN",
        documentNumber: `B${100000 + i}`,
      },
    ],
    contact: { email: `bench${i}@example.com` },
    locale: "en",
  };
}

export async function runBookingBench(
  opts: { offset?: number; duration?: number } = {},
): Promise<{ rows: Row[]; checks: Record<string, unknown> }> {
  const offset = opts.offset ?? OFFSET;
  const duration = opts.duration ?? 10;
  await ensureBuild();
  const stack = await startBenchStack({ offset, quiet: true });
  const sql = postgres(benchDatabaseUrl(offset), { max: 4, onnotice: () => {} });
  const rows: Row[] = [];
  const checks: Record<string, unknown> = {};
  try {
    const sailingIds = (
      await sql<
        { id: number }[]
      >`select id from sailings where status = 'SCHEDULED' and departure_at > now() + interval '2 days' order by departure_at`
    ).map((r) => r.id);

    // 1. booking.create, 50 concurrent clients, spread over every sailing so that none sells out.
    let n = 0;
    rows.push(
      await load(
        "booking.create (50 clients)",
        {
          url: `${stack.appUrl}/api/trpc/booking.create`,
          method: "POST",
          connections: 50,
          duration,
          headers: { "content-type": "application/json", origin: stack.appUrl },
          requests: [
            {
              setupRequest: (req) => {
                const i = n++;
                return {
                  ...req,
                  body: JSON.stringify({ json: input(sailingIds[i % sailingIds.length] as number, i) }),
                };
              },
            },
          ],
        },
        "includes creating the Checkout session",
      ),
    );

    // 2. Webhook acknowledgement: verify, record, enqueue, 200. Unique ids, a type the worker ignores.
    const stripe = new Stripe("sk_test_unused");
    let w = 0;
    rows.push(
      await load("webhook acknowledgement", {
        url: `${stack.appUrl}/api/webhooks/stripe`,
        method: "POST",
        connections: 10,
        duration,
        requests: [
          {
            setupRequest: (req) => {
              const payload = JSON.stringify({
                id: `evt_bench_${process.pid}_${w++}`,
                object: "event",
                type: "customer.created",
                created: Math.floor(Date.now() / 1000),
                data: { object: { id: "cus_bench" } },
              });
              const sig = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
              return {
                ...req,
                body: payload,
                headers: { "content-type": "application/json", "stripe-signature": sig },
              };
            },
          },
        ],
      }),
    );

    // 3. Event to CONFIRMED: pay 200 bookings on the emulator at a steady 20/s and time each confirmation.
    const sessions: { sessionId: string; reference: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await trpcMutation<{ reference: string; checkoutUrl: string }>(
        stack.appUrl,
        "booking.create",
        input(sailingIds[(i * 7) % sailingIds.length] as number, 1_000_000 + i),
      );
      if (r.data?.checkoutUrl)
        sessions.push({
          sessionId: r.data.checkoutUrl.split("/pay/")[1] as string,
          reference: r.data.reference,
        });
    }
    const paidAt = new Map<string, number>();
    for (const s of sessions) {
      const t0 = Date.now();
      const res = await fetch(`${stack.urls.stripe}/_emulator/checkout/sessions/${s.sessionId}/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ card: "4242424242424242" }),
      });
      if (res.ok) paidAt.set(s.reference, t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    const deadline = Date.now() + 30_000;
    let confirmed: { reference: string; confirmed_at: Date }[] = [];
    while (Date.now() < deadline) {
      confirmed = await sql<{ reference: string; confirmed_at: Date }[]>`
        select reference, confirmed_at from bookings where reference in ${sql([...paidAt.keys()])} and status = 'CONFIRMED'`;
      if (confirmed.length === paidAt.size) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const lat = confirmed.map((c) => c.confirmed_at.getTime() - (paidAt.get(c.reference) as number));
    rows.push({
      scenario: "Stripe event → CONFIRMED",
      p50: percentile(lat, 50),
      p95: percentile(lat, 95),
      p99: percentile(lat, 99),
      rps: null,
      requests: paidAt.size,
      errors: paidAt.size - confirmed.length,
      note: "from payment on Stripe to booking confirmed (webhook + queue + worker)",
    });

    // 4. The 200-way race for the last 10 places.
    const raceSailing = sailingIds.at(-1) as number;
    await sql`update inventory set capacity = held + sold + 10 where sailing_id = ${raceSailing} and resource = 'DECK'`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        trpcMutation(stack.appUrl, "booking.create", input(raceSailing, 2_000_000 + i)),
      ),
    );
    const [inv] = await sql<{ capacity: number; held: number; sold: number }[]>`
      select capacity, held, sold from inventory where sailing_id = ${raceSailing} and resource = 'DECK'`;
    checks["200-way race for 10 places"] = {
      succeeded: results.filter((r) => r.status === 200).length,
      soldOut: results.filter((r) => r.status === 409).length,
      other: results.filter((r) => r.status !== 200 && r.status !== 409).length,
      heldPlusSoldEqualsCapacity: inv ? inv.held + inv.sold === inv.capacity : false,
    };
    const [over] = await sql<
      { n: number }[]
    >`select count(*)::int as n from inventory where held + sold > capacity`;
    checks["inventory rows over capacity"] = over?.n ?? 0;
  } finally {
    await sql.end();
    await stack.stop();
  }
  return { rows, checks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBookingBench()
    .then(({ rows, checks }) => {
      report("booking", rows, checks);
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
