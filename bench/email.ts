import path from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { env } from "@/env";
import { createDb } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { emailOutbox } from "@/server/db/schema/email";
import { sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { queueEmail, queueSailingNotice } from "@/server/features/email/outbox";
import { Cache } from "@/server/features/cache/cache";
import { emailTransport } from "@/server/features/email/resend-client";
import { createServices } from "@/server/services";
import { startResendEmulator } from "../emulators/resend/server";
import { createBooking, pickSailings, startTestWorker } from "../tests/helpers/email-fixtures";
import { sleep } from "../tests/support/poll";
import { EmbeddedCluster, ensureDatabase } from "../tests/support/postgres";
import { percentile } from "../tests/support/stats";
import { type Check, goal, outcome, outcomeEquals, validity } from "./lib/checks";
import { waitIdle } from "./lib/drain";
import { arg } from "./lib/measure";
import { finish, type Rep, type Row, runInfo, runMain } from "./lib/report";

/**
 * `npm run bench:email`, on a stack of its own (database, Resend emulator and worker in this process), so
 * no other benchmark's emails share Resend's rate window:
 * 1. enqueue → Resend-accepted latency of single emails (confirmations, with QR attachments): from the
 *    commit of the transaction that queues the email to the emulator receiving the request it answers 200;
 * 2. sustained emails/s through the batch path (a sailing notice to N bookings) at RESEND_RATE_LIMIT,
 *    against an emulator enforcing that same limit, so going over it would show as 429s.
 * A warm-up, then `--reps` repetitions of each, every one starting on a drained queue with Resend's 1 s
 * window passed. A worker as in production (graphile-worker, WORKER_CONCURRENCY) runs in-process.
 */
const SINGLES = arg("emails", 20);
const BOOKINGS = arg("bookings", 400);
const REPS = arg("reps", 3);
const WARMUP = arg("warmup", 5);
const RATE = env.RESEND_RATE_LIMIT;
const DB_NAME = "traverse_bench_email";

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  // Without DATABASE_URL, a server of its own, so the benchmark never touches the test or dev databases.
  const pg = env.DATABASE_URL
    ? null
    : new EmbeddedCluster(path.join(process.cwd(), ".data", "bench-email-pg"), 54339);
  await pg?.start();
  const url = await ensureDatabase(pg?.url ?? (env.DATABASE_URL as string), DB_NAME, { reset: true });
  await migrateDatabase(url);
  return { url, stop: async () => pg?.stop() };
}

async function main(): Promise<number> {
  const run = runInfo();
  const store = await database();
  const handle = createDb(store.url, { max: 20 });
  const db = handle.db;
  const sqlc = postgres(store.url, { max: 2, onnotice: () => {} });
  const emu = await startResendEmulator({ port: 0, rateLimit: { requestsPerSecond: RATE } });
  const svc = createServices({
    db,
    cache: new Cache(null),
    email: emailTransport({ apiKey: "re_bench", baseUrl: emu.url, requestsPerSecond: RATE }),
  });
  const worker = await startTestWorker(svc, store.url, env.WORKER_CONCURRENCY);
  const idle = () => waitIdle({ sql: sqlc, resendUrl: emu.url });
  const rows: Row[] = [];
  const checks: Check[] = [];
  try {
    await seedDatabase(db, { days: 30, devAdmin: null });
    const pair = await pickSailings(db, new Date());

    // 1. Latency. One email at a time, spaced to stay under the rate limit: this measures our path
    // (commit → NOTIFY → worker → render → Resend), not time spent waiting out 429s.
    const singles = async (count: number) => {
      await idle();
      const from = emu.requests().length;
      const committedAt = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const b = await createBooking(db, {
          outboundSailingId: pair.outbound,
          returnSailingId: pair.inbound,
        });
        const id = await db.transaction((tx) =>
          queueEmail(tx, {
            kind: "booking_confirmed",
            bookingId: b.id,
            recipient: b.email,
            locale: b.locale,
            dedupeKey: `confirmed:${b.id}`,
          }),
        );
        committedAt.set(id as string, Date.now());
        await sleep(Math.ceil(1000 / RATE) + 50); // pacing under the rate limit
      }
      await idle();
      const requests = emu
        .requests()
        .slice(from)
        .filter((r) => r.path === "/emails");
      const accepted = requests.filter(
        (r) => r.status === 200 && r.idempotencyKey && committedAt.has(r.idempotencyKey),
      );
      const latencies = accepted.map((r) => r.time - (committedAt.get(r.idempotencyKey as string) as number));
      const perKey = new Map<string, number>();
      for (const r of accepted)
        perKey.set(r.idempotencyKey as string, (perKey.get(r.idempotencyKey as string) ?? 0) + 1);
      const rep: Rep = {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        rps: null,
        requests: count,
        errors: requests.filter((r) => r.status !== 200).length,
      };
      return {
        rep,
        ids: [...committedAt.keys()],
        perKey,
        rateLimited: requests.filter((r) => r.status === 429).length,
      };
    };
    await singles(WARMUP);
    const singleReps = [];
    for (let i = 0; i < REPS; i++) singleReps.push(await singles(SINGLES));
    rows.push({
      scenario: "enqueue → Resend accepted (confirmation + 4 QR)",
      mode: "sequence",
      load: `1 every ${Math.ceil(1000 / RATE) + 50} ms`,
      reps: singleReps.map((r) => r.rep),
      note: "goal < 1000 ms p95 (reference system: 5–15 s to the inbox)",
    });
    const ids = singleReps.flatMap((r) => r.ids);
    const sent = await sqlc<
      { n: number }[]
    >`select count(*)::int as n from email_outbox where id in ${sqlc(ids)} and status = 'SENT'`;
    checks.push(outcomeEquals("single emails SENT", sent[0]?.n, ids.length));
    checks.push(
      outcomeEquals(
        "single emails Resend accepted other than exactly once",
        singleReps.reduce((n, r) => n + r.ids.filter((id) => r.perKey.get(id) !== 1).length, 0),
        0,
      ),
    );
    checks.push(
      validity(
        "single emails answered 429 (nothing else may share the rate window)",
        singleReps.reduce((n, r) => n + r.rateLimited, 0),
        "= 0",
        singleReps.every((r) => r.rateLimited === 0),
      ),
    );
    const p95 =
      percentile(
        singleReps.map((r) => r.rep.p95 ?? Number.POSITIVE_INFINITY),
        50,
      ) ?? Number.POSITIVE_INFINITY;
    checks.push(goal("enqueue → accepted p95 (median of repetitions)", `${p95} ms`, "< 1000 ms", p95 < 1000));

    // 2. Throughput through the batch path: per repetition, a sailing with BOOKINGS confirmed bookings is
    // cancelled and its notice goes to all of them.
    const notices = await db
      .select({ id: sailings.id })
      .from(sailings)
      .where(
        sql`${sailings.status} = 'SCHEDULED' and ${sailings.id} not in (${pair.outbound}, ${pair.inbound})`,
      )
      .orderBy(sailings.departureAt)
      .limit(REPS);
    const batchReps: Rep[] = [];
    let maxInWindow = 0;
    let rateLimited = 0;
    let lost = 0;
    for (const { id: sailingId } of notices) {
      for (let i = 0; i < BOOKINGS; i++) {
        await createBooking(db, {
          outboundSailingId: sailingId,
          locale: (["en", "fr", "ar"] as const)[i % 3],
        });
      }
      await idle();
      const from = emu.requests().length;
      const emailsBefore = emu.emails().length;
      const started = Date.now();
      const queued = await db.transaction(async (tx) => {
        await tx
          .update(sailings)
          .set({ status: "CANCELLED", updatedAt: sql`now()` })
          .where(eq(sailings.id, sailingId));
        return queueSailingNotice(tx, { sailingId, change: "cancelled" });
      });
      while (Date.now() - started < 10 * 60_000) {
        const [q] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(emailOutbox)
          .where(eq(emailOutbox.status, "QUEUED"));
        if (q?.n === 0) break;
        await sleep(100); // until the batch is drained; the lost-email check below reports the rest
      }
      const elapsed = (Date.now() - started) / 1000;
      const batch = emu
        .requests()
        .slice(from)
        .filter((r) => r.path === "/emails/batch");
      const times = batch.map((r) => r.time);
      for (let i = 0; i < times.length; i++) {
        let n = 0;
        for (let j = i; j < times.length && (times[j] as number) < (times[i] as number) + 1000; j++) n++;
        maxInWindow = Math.max(maxInWindow, n);
      }
      const delivered = emu.emails().length - emailsBefore;
      lost += queued.queued - delivered;
      rateLimited += batch.filter((r) => r.status === 429).length;
      batchReps.push({
        p50: null,
        p95: null,
        p99: null,
        rps: delivered / elapsed,
        requests: batch.length,
        errors: batch.filter((r) => r.status !== 200).length,
      });
    }
    rows.push({
      scenario: `sailing notice, ${BOOKINGS} bookings, batch path`,
      mode: "sequence",
      load: `${RATE} requests/s allowed`,
      reps: batchReps,
      note: `emails/s; ceiling ${RATE * 100}/s at ${RATE} req/s`,
    });
    checks.push(outcomeEquals("batch emails lost (queued − delivered)", lost, 0));
    checks.push(
      outcome(
        "batch requests in any 1 s window",
        maxInWindow,
        `≤ ${RATE} (Resend's limit)`,
        maxInWindow <= RATE,
      ),
    );
    checks.push(outcomeEquals("batch requests answered 429", rateLimited, 0));
  } finally {
    await worker.stop();
    await emu.close();
    await sqlc.end();
    await handle.close();
    await store.stop();
  }
  return finish("email", run, rows, checks, {
    singlesPerRep: SINGLES,
    bookingsPerRep: BOOKINGS,
    reps: REPS,
    warmupEmails: WARMUP,
    resendRateLimit: RATE,
  });
}

runMain(main);
