import autocannon from "autocannon";
import { tryPayOnStripe } from "../tests/support/emulators";
import { oneAdultBooking } from "../tests/support/fixtures";
import { sleep } from "../tests/support/poll";
import { percentile } from "../tests/support/stats";
import { encodeInput, trpcGetPath, trpcPostHeaders } from "../tests/support/trpc-http";
import { type Check, outcome, outcomeEquals } from "./lib/checks";
import {
  acceptedPerIdempotencyKey,
  inventoryNotMatchingBookings,
  inventoryOverCapacity,
} from "./lib/consistency";
import { waitIdle } from "./lib/drain";
import { arg } from "./lib/measure";
import { surname } from "./lib/names";
import { finish, type Rep, type Row, runInfo, runMain } from "./lib/report";
import { clientIp, ensureBuild, startBenchStack } from "./lib/stack";

/**
 * The mixed load: virtual travellers search (mostly the hot routes), book and pay, against the seeded
 * inventory with a few hot sailings squeezed to 40 places before each repetition so that they sell out under
 * contention. After a warm-up, `--reps` repetitions of `--duration` seconds, each on a drained stack; then
 * the outcome checks: nothing sold above capacity, inventory equal to its bookings, every paid booking
 * confirmed, every confirmed booking emailed exactly once, nothing left pending, no unexpected error.
 *
 * `--instances=2 --workers=3` is the scale-out run: two Next.js instances and three worker processes on
 * one database, load split between the instances.
 */
// Hot routes are own (CTN, CLN: sold from Postgres); the cold ones include the connected operators' routes.
const HOT = [
  ["TUN", "MRS"],
  ["TUN", "TPS"],
  ["MRS", "TUN"],
  ["TPS", "TUN"],
] as const;
const COLD = [
  ["TUN", "CIV"],
  ["PMO", "TUN"],
  ["TUN", "SAL"],
  ["GOA", "TUN"],
  ["TUN", "BCN"],
] as const;

const isoDay = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

interface Tally {
  searchTimes: number[];
  bookingTimes: number[];
  searchErrors: number;
  bookingErrors: number;
  soldOut: number;
  payErrors: number;
  firstError?: string;
}

async function main(): Promise<number> {
  const run = runInfo();
  const instances = arg("instances", 1);
  const workers = arg("workers", 1);
  const duration = arg("duration", 20);
  const reps = arg("reps", 3);
  const warmup = arg("warmup", 5);
  const offset = arg("offset", 700);
  await ensureBuild();
  const stack = await startBenchStack({
    offset,
    instances,
    workers,
    // A paid Resend plan: the default 2 requests/s would make this a test of Resend's queue, not ours.
    env: { RESEND_RATE_LIMIT: "100", WORKER_CONCURRENCY: "8", TRUSTED_PROXY_HOPS: "1" },
  });
  const sql = stack.sql;
  const appPort = Number(new URL(stack.appUrl).port);
  const idle = () => waitIdle({ sql, appPort, stripeUrl: stack.urls.stripe, resendUrl: stack.urls.resend });
  const label = `${instances} app × ${workers} worker`;
  const rows: Row[] = [];
  const checks: Check[] = [];
  const paid: string[] = [];
  const tallies: Tally[] = [];
  let searches = 0;
  let n = 0;
  const searchPath = () => {
    const i = searches++;
    const [from, to] = (i % 4 === 0 ? COLD[i % COLD.length] : HOT[i % HOT.length]) as readonly [
      string,
      string,
    ];
    return trpcGetPath("search.sailings", {
      from,
      to,
      date: isoDay(3 + (i % 40)),
      passengers: { adults: 1 + (i % 3), children: i % 2, infants: 0 },
    });
  };
  try {
    const sailingRows = await sql<{ id: number; hot: boolean }[]>`
      select s.id, (r.from_port, r.to_port) in (('TUN','MRS'), ('TUN','TPS')) as hot
      from sailings s join routes r on r.id = s.route_id
      where s.status = 'SCHEDULED' and s.departure_at > now() + interval '2 days'
      order by s.departure_at limit 400`;
    const hotSailings = sailingRows
      .filter((s) => s.hot)
      .slice(0, 6)
      .map((s) => s.id);
    const otherSailings = sailingRows.filter((s) => !s.hot).map((s) => s.id);

    // Warm-up: searches only, discarded.
    await new Promise((resolve, reject) =>
      autocannon(
        {
          url: stack.appUrl,
          connections: 8,
          duration: warmup,
          requests: [{ setupRequest: (req) => ({ ...req, path: searchPath() }) }],
        },
        (err, r) => (err ? reject(err) : resolve(r)),
      ),
    );

    for (let rep = 0; rep < reps; rep++) {
      await idle();
      // Contention: the hot sailings have 40 deck places left, so they sell out during the repetition.
      await sql`update inventory set capacity = held + sold + 40 where sailing_id in ${sql(hotSailings)} and resource = 'DECK'`;
      const t: Tally = {
        searchTimes: [],
        bookingTimes: [],
        searchErrors: 0,
        bookingErrors: 0,
        soldOut: 0,
        payErrors: 0,
      };
      const sessions: string[] = [];
      const loads = stack.appUrls.flatMap((appUrl) => {
        const search = autocannon(
          {
            url: appUrl,
            connections: 16,
            duration,
            requests: [{ setupRequest: (req) => ({ ...req, path: searchPath() }) }],
          },
          () => {},
        );
        search.on("response", (_c, status, _b, ms) => {
          t.searchTimes.push(ms);
          // A search for a day without sailings is a 400 the site shows as "no sailing": not an error.
          if (status >= 500) t.searchErrors++;
        });
        const booking = autocannon(
          {
            url: `${appUrl}/api/trpc/booking.create`,
            method: "POST",
            connections: 8,
            duration,
            requests: [
              {
                setupRequest: (req) => {
                  const i = n++;
                  const sailingId =
                    i % 3 === 0
                      ? hotSailings[i % hotSailings.length]
                      : otherSailings[i % otherSailings.length];
                  return {
                    ...req,
                    headers: trpcPostHeaders({ baseUrl: appUrl, clientAddress: clientIp(i) }),
                    body: encodeInput(
                      oneAdultBooking(sailingId as number, `load${i}@example.com`, {
                        accommodation: i % 5 === 0 ? "CABIN_INSIDE" : "DECK",
                        firstName: "Load",
                        lastName: surname(i),
                        documentNumber: `L${100000 + i}`,
                        locale: (["en", "fr", "ar"] as const)[i % 3],
                      }),
                    ),
                  };
                },
                onResponse: (status, body) => {
                  if (status === 200) {
                    const url = (
                      JSON.parse(body) as { result: { data: { json: { checkoutUrl: string | null } } } }
                    ).result.data.json.checkoutUrl;
                    if (url) sessions.push(url.split("/pay/")[1] as string);
                    else {
                      t.bookingErrors++;
                      t.firstError ??= "200 without a checkout URL";
                    }
                  } else if (status === 409) t.soldOut++;
                  else {
                    t.bookingErrors++;
                    t.firstError ??= `${status} ${body.slice(0, 300)}`;
                  }
                },
              },
            ],
          },
          () => {},
        );
        booking.on("response", (_c, _s, _b, ms) => t.bookingTimes.push(ms));
        // Network errors and timeouts (autocannon's own counts) are failures too.
        search.on("done", (r: autocannon.Result) => {
          t.searchErrors += r.errors + r.timeouts;
        });
        booking.on("done", (r: autocannon.Result) => {
          t.bookingErrors += r.errors + r.timeouts;
        });
        return [search, booking];
      });

      // Travellers pay (most of them) on the Stripe page while the load goes on: 6 at a time.
      const stopAt = Date.now() + duration * 1000;
      const payer = async () => {
        while (Date.now() < stopAt + 2000 || sessions.length > 0) {
          const id = sessions.shift();
          if (!id) {
            if (Date.now() > stopAt + 2000) break;
            await sleep(20); // pacing while the load produces more sessions
            continue;
          }
          if (id.charCodeAt(id.length - 1) % 10 === 0) continue; // ~10 % abandon their payment
          if (await tryPayOnStripe(stack.urls.stripe, id)) paid.push(id);
          else t.payErrors++;
        }
      };
      await Promise.all([
        ...loads.map((inst) => new Promise((r) => inst.on("done", r))),
        ...Array.from({ length: 6 }, payer),
      ]);
      tallies.push(t);
    }
    // Every paid session confirmed and emailed, nothing in flight: waitIdle throws if that never happens.
    await idle();

    const rep = (times: number[], errors: number): Rep => ({
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      rps: times.length / duration,
      requests: times.length,
      errors,
    });
    rows.push({
      scenario: `mixed ${label}: search`,
      mode: "saturation",
      load: `${16 * instances} connections`,
      reps: tallies.map((t) => rep(t.searchTimes, t.searchErrors)),
    });
    rows.push({
      scenario: `mixed ${label}: booking.create`,
      mode: "saturation",
      load: `${8 * instances} connections`,
      reps: tallies.map((t) => rep(t.bookingTimes, t.bookingErrors)),
      note: `${tallies.reduce((s, t) => s + t.soldOut, 0)} sold out (409, expected on hot sailings)`,
    });

    const [unconfirmed] = await sql<{ n: number }[]>`
      select count(*)::int as n from payments p join bookings b on b.id = p.booking_id
      where p.checkout_session_id in ${sql(paid.length ? paid : ["none"])} and b.status <> 'CONFIRMED'`;
    // Emails as Resend received them, matched to each confirmed booking's confirmation by its idempotency
    // key (the outbox id): exactly one accepted email per confirmed booking.
    const received = await acceptedPerIdempotencyKey(stack.urls.resend);
    const outbox = await sql<{ id: string | null }[]>`
      select o.id from bookings b left join email_outbox o on o.booking_id = b.id and o.kind = 'booking_confirmed'
      where b.status = 'CONFIRMED'`;
    const counts = outbox.filter((o) => o.id).map((o) => received.get(o.id as string) ?? 0);
    const sum = (f: (t: Tally) => number) => tallies.reduce((s, t) => s + f(t), 0);
    checks.push(outcomeEquals(`${label}: inventory rows over capacity`, await inventoryOverCapacity(sql), 0));
    checks.push(
      outcomeEquals(
        `${label}: inventory rows not matching their bookings`,
        await inventoryNotMatchingBookings(sql),
        0,
      ),
    );
    checks.push(outcomeEquals(`${label}: paid but not confirmed`, unconfirmed?.n, 0));
    checks.push(
      outcomeEquals(
        `${label}: confirmed bookings without a confirmation row`,
        outbox.filter((o) => !o.id).length,
        0,
      ),
    );
    checks.push(
      outcomeEquals(
        `${label}: confirmed bookings emailed other than exactly once`,
        counts.filter((c) => c !== 1).length,
        0,
      ),
    );
    checks.push(
      outcomeEquals(
        `${label}: searches answered 5xx or not at all`,
        sum((t) => t.searchErrors),
        0,
      ),
    );
    checks.push(
      outcomeEquals(
        `${label}: booking.create errors other than sold out${tallies.find((t) => t.firstError)?.firstError ? ` (first: ${tallies.find((t) => t.firstError)?.firstError})` : ""}`,
        sum((t) => t.bookingErrors),
        0,
      ),
    );
    checks.push(
      outcomeEquals(
        `${label}: payments refused by Stripe`,
        sum((t) => t.payErrors),
        0,
      ),
    );
    checks.push(outcome(`${label}: bookings paid`, paid.length, "> 0", paid.length > 0));
  } finally {
    await stack.stop();
  }
  return finish(`mixed-${instances}x${workers}`, run, rows, checks, {
    instances,
    workers,
    durationS: duration,
    reps,
    warmupS: warmup,
    offset,
  });
}

runMain(main);
