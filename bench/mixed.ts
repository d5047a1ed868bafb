import { surname } from "./lib/names";
import autocannon from "autocannon";
import postgres from "postgres";
import { percentile, report, type Row } from "./lib/report";
import { benchDatabaseUrl, ensureBuild, startBenchStack } from "./lib/stack";

/**
 * The mixed load of issue 8: for DURATION seconds, virtual travellers search (mostly the hot routes),
 * book and pay, against the seeded inventory with a few hot sailings squeezed to a handful of places so
 * that they sell out under contention. Then the outcome checks: nothing sold above capacity, every paid
 * booking confirmed, every confirmed booking emailed exactly once.
 *
 * `--instances=2 --workers=3` is the scale-out run: two Next.js instances and three worker processes on
 * one database, load split between the instances.
 */
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

const HOT = [
  ["TUN", "MRS"],
  ["TUN", "PMO"],
  ["MRS", "TUN"],
  ["TUN", "GOA"],
] as const;
const COLD = [
  ["TUN", "CIV"],
  ["PMO", "TUN"],
  ["TUN", "SAL"],
  ["GOA", "TUN"],
  ["TUN", "BCN"],
  ["TPS", "TUN"],
] as const;

const isoDay = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const q = (path: string, input: unknown) =>
  `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

export async function runMixed(opts: {
  instances: number;
  workers: number;
  duration: number;
  offset: number;
}) {
  await ensureBuild();
  const stack = await startBenchStack({
    offset: opts.offset,
    instances: opts.instances,
    workers: opts.workers,
    quiet: true,
    // A paid Resend plan: the default 2 requests/s would make this a test of Resend's queue, not ours.
    env: { RESEND_RATE_LIMIT: "100", WORKER_CONCURRENCY: "8" },
  });
  const sql = postgres(benchDatabaseUrl(opts.offset), { max: 4, onnotice: () => {} });
  const rows: Row[] = [];
  const checks: Record<string, unknown> = {};
  try {
    const sailingRows = await sql<{ id: number; hot: boolean }[]>`
      select s.id, (r.from_port, r.to_port) in (('TUN','MRS'), ('TUN','PMO')) as hot
      from sailings s join routes r on r.id = s.route_id
      where s.status = 'SCHEDULED' and s.departure_at > now() + interval '2 days'
      order by s.departure_at limit 400`;
    const hotSailings = sailingRows
      .filter((s) => s.hot)
      .slice(0, 6)
      .map((s) => s.id);
    const otherSailings = sailingRows.filter((s) => !s.hot).map((s) => s.id);
    // Contention: the hot sailings have 40 deck places left, so they sell out during the run.
    await sql`update inventory set capacity = held + sold + 40 where sailing_id in ${sql(hotSailings)} and resource = 'DECK'`;

    const sessions: string[] = [];
    let n = 0;
    let searches = 0;
    const bookingTimes: number[] = [];
    const searchTimes: number[] = [];
    let soldOut = 0;
    let bookingErrors = 0;
    let searchErrors = 0;
    let firstError: string | undefined;

    const perInstance = stack.urls.app.map((appUrl) => {
      const searchLoad = autocannon(
        {
          url: appUrl,
          connections: 16,
          duration: opts.duration,
          requests: [
            {
              setupRequest: (req) => {
                const i = searches++;
                const [from, to] = (i % 4 === 0 ? COLD[i % COLD.length] : HOT[i % HOT.length]) as readonly [
                  string,
                  string,
                ];
                const day = 3 + (i % 40);
                const party = { adults: 1 + (i % 3), children: i % 2, infants: 0 };
                return {
                  ...req,
                  path: q("search.sailings", { from, to, date: isoDay(day), passengers: party }),
                };
              },
            },
          ],
        },
        () => {},
      );
      searchLoad.on("response", (_c, status, _b, t) => {
        searchTimes.push(t);
        // A search for a day without sailings is a 400 the site shows as "no sailing": not an error.
        if (status >= 500) searchErrors++;
      });
      const bookingLoad = autocannon(
        {
          url: `${appUrl}/api/trpc/booking.create`,
          method: "POST",
          connections: 8,
          duration: opts.duration,
          headers: { "content-type": "application/json", origin: appUrl },
          requests: [
            {
              setupRequest: (req) => {
                const i = n++;
                const sailingId =
                  i % 3 === 0 ? hotSailings[i % hotSailings.length] : otherSailings[i % otherSailings.length];
                return {
                  ...req,
                  body: JSON.stringify({
                    json: {
                      outbound: { sailingId, accommodation: i % 5 === 0 ? "CABIN_INSIDE" : "DECK" },
                      passengers: [
                        {
                          type: "adult",
                          firstName: "Load",
                          lastName: surname(i),
                          nationality: "TN",
                          documentNumber: `L${100000 + i}`,
                        },
                      ],
                      contact: { email: `load${i}@example.com` },
                      locale: (["en", "fr", "ar"] as const)[i % 3],
                    },
                  }),
                };
              },
              onResponse: (status, body) => {
                if (status === 200) {
                  const url = (
                    JSON.parse(body) as { result: { data: { json: { checkoutUrl: string | null } } } }
                  ).result.data.json.checkoutUrl;
                  if (url) sessions.push(url.split("/pay/")[1] as string);
                } else if (status === 409) soldOut++;
                else {
                  bookingErrors++;
                  firstError ??= `${status} ${body.slice(0, 300)}`;
                }
              },
            },
          ],
        },
        () => {},
      );
      bookingLoad.on("response", (_c, _s, _b, t) => bookingTimes.push(t));
      return [searchLoad, bookingLoad];
    });

    // Travellers pay (most of them) on the Stripe page while the load goes on: bounded, 6 at a time.
    const paid: string[] = [];
    let payErrors = 0;
    const stopAt = Date.now() + opts.duration * 1000;
    const payer = async () => {
      while (Date.now() < stopAt + 2000 || sessions.length > 0) {
        const id = sessions.shift();
        if (!id) {
          if (Date.now() > stopAt + 2000) break;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        if (id.charCodeAt(id.length - 1) % 10 === 0) continue; // ~10 % abandon their payment
        const res = await fetch(`${stack.urls.stripe}/_emulator/checkout/sessions/${id}/pay`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ card: "4242424242424242" }),
        });
        if (res.ok) paid.push(id);
        else payErrors++;
      }
    };
    await Promise.all([
      ...perInstance.flat().map((inst) => new Promise((r) => inst.on("done", r))),
      ...Array.from({ length: 6 }, payer),
    ]);

    // Let the worker(s) drain: every paid session confirmed and emailed.
    const deadline = Date.now() + 120_000;
    let pending = -1;
    while (Date.now() < deadline) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from payments p where p.checkout_session_id in ${sql(paid.length ? paid : ["none"])} and p.status <> 'COMPLETED'`;
      const [emails] = await sql<
        { n: number }[]
      >`select count(*)::int as n from email_outbox where status = 'QUEUED'`;
      pending = (row?.n ?? 0) + (emails?.n ?? 0);
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const dur = opts.duration;
    const label = `${opts.instances} app × ${opts.workers} worker`;
    rows.push({
      scenario: `mixed ${label}: search`,
      p50: percentile(searchTimes, 50),
      p95: percentile(searchTimes, 95),
      p99: percentile(searchTimes, 99),
      rps: searchTimes.length / dur,
      requests: searchTimes.length,
      errors: searchErrors,
    });
    rows.push({
      scenario: `mixed ${label}: booking.create`,
      p50: percentile(bookingTimes, 50),
      p95: percentile(bookingTimes, 95),
      p99: percentile(bookingTimes, 99),
      rps: bookingTimes.length / dur,
      requests: bookingTimes.length,
      errors: bookingErrors,
      note: `${soldOut} sold out (409, expected on hot sailings)`,
    });

    const [over] = await sql<
      { n: number }[]
    >`select count(*)::int as n from inventory where held + sold > capacity`;
    const [mismatch] = await sql<{ n: number }[]>`
      select count(*)::int as n from inventory i
      left join (
        select h.sailing_id, h.resource, sum(h.quantity) filter (where b.status = 'PENDING_PAYMENT') as held,
               sum(h.quantity) filter (where b.status = 'CONFIRMED') as sold
        from booking_holds h join bookings b on b.id = h.booking_id group by 1, 2
      ) t on t.sailing_id = i.sailing_id and t.resource = i.resource
      where i.held <> coalesce(t.held, 0) or i.sold <> coalesce(t.sold, 0)`;
    const [unconfirmed] = await sql<{ n: number }[]>`
      select count(*)::int as n from payments p join bookings b on b.id = p.booking_id
      where p.checkout_session_id in ${sql(paid.length ? paid : ["none"])} and b.status <> 'CONFIRMED'`;
    const [confirmed] = await sql<
      { n: number }[]
    >`select count(*)::int as n from bookings where status = 'CONFIRMED'`;
    // Emails as Resend received them, matched to each confirmed booking's confirmation by its
    // idempotency key (the outbox id): exactly one accepted email per confirmed booking.
    const inbox = (await (await fetch(`${stack.urls.resend}/_emulator/emails`)).json()) as {
      data: { idempotencyKey: string | null }[];
    };
    const outbox = await sql<{ id: string }[]>`
      select o.id from bookings b left join email_outbox o on o.booking_id = b.id and o.kind = 'booking_confirmed'
      where b.status = 'CONFIRMED'`;
    const perRef = new Map(outbox.map((o) => [o.id, 0]));
    for (const e of inbox.data) {
      if (e.idempotencyKey && perRef.has(e.idempotencyKey))
        perRef.set(e.idempotencyKey, (perRef.get(e.idempotencyKey) ?? 0) + 1);
    }
    const counts = [...perRef.values()];
    checks[`${label}: inventory rows over capacity`] = over?.n ?? 0;
    checks[`${label}: inventory rows not matching their bookings`] = mismatch?.n ?? 0;
    checks[`${label}: paid sessions`] = paid.length;
    checks[`${label}: paid but not confirmed`] = unconfirmed?.n ?? 0;
    checks[`${label}: confirmed bookings`] = confirmed?.n ?? 0;
    checks[`${label}: confirmed with no email`] = counts.filter((c) => c === 0).length;
    checks[`${label}: confirmed with more than one email`] = counts.filter((c) => c > 1).length;
    checks[`${label}: payment attempts refused by Stripe`] = payErrors;
    checks[`${label}: still pending after drain`] = pending;
    if (firstError) checks[`${label}: first booking error`] = firstError;
  } finally {
    await sql.end();
    await stack.stop();
  }
  return { rows, checks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const instances = arg("instances", 1);
  const workers = arg("workers", 1);
  runMixed({ instances, workers, duration: arg("duration", 60), offset: arg("offset", 1100) })
    .then(({ rows, checks }) => {
      report(`mixed-${instances}x${workers}`, rows, checks);
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
