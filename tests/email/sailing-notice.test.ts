import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResendEmulator, startResendEmulator } from "../../emulators/resend/server";
import { emailOutbox } from "@/server/db/schema/email";
import { sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { BATCH_QUEUE, batchJobKey, queueSailingNotice } from "@/server/features/email/outbox";
import { enqueue } from "@/server/lib/jobs";
import type { WorkerHandle } from "../../worker/runner";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  createBooking,
  pickSailings,
  queuedCount,
  startTestWorker,
  emulatorTransport,
  waitFor,
} from "../helpers/email-fixtures";
import type { Services } from "@/server/services";
import { testServices } from "../helpers/services";

const RATE = 2; // Resend's default, and env.RESEND_RATE_LIMIT's
const BOOKINGS = 300;

let t: TestDb;
/** This file's Services: its database, sending email to its own Resend emulator. */
let svc: Services;
let emu: ResendEmulator;
const workers: WorkerHandle[] = [];

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 14, devAdmin: null });
  // The emulator enforces the limit too: going over it would show up as 429s.
  emu = await startResendEmulator({ port: 0, rateLimit: { requestsPerSecond: RATE } });
  svc = testServices({ db: t.db, email: emulatorTransport(emu, RATE) });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await emu.close();
  await t.destroy();
});

/** Two worker processes' worth of runners: the named queue must still send one batch at a time. */
async function startWorkers() {
  while (workers.length < 2) {
    workers.push(await startTestWorker(svc, t.url));
  }
}

/** The most requests seen in any 1-second span, sliding over every arrival. */
function maxInAnySecond(times: number[]): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + 1000; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe("sailing notice (mass email through the batch endpoint)", () => {
  it(`a cancelled sailing with ${BOOKINGS} bookings → ${BOOKINGS} emails, in batches, never above ${RATE} requests/s`, async () => {
    const pair = await pickSailings(t.db);
    const emails = new Set<string>();
    for (let i = 0; i < BOOKINGS; i++) {
      const locale = (["en", "fr", "ar"] as const)[i % 3];
      const b = await createBooking(t.db, {
        outboundSailingId: pair.outbound,
        returnSailingId: pair.inbound,
        locale,
      });
      emails.add(b.email);
    }
    // Not affected: cancelled or unpaid bookings on the same sailing, confirmed ones on another.
    await createBooking(t.db, { outboundSailingId: pair.outbound, status: "CANCELLED" });
    await createBooking(t.db, { outboundSailingId: pair.outbound, status: "PENDING_PAYMENT" });
    await createBooking(t.db, { outboundSailingId: pair.inbound });

    const queued = await t.db.transaction(async (tx) => {
      await tx
        .update(sailings)
        .set({ status: "CANCELLED", updatedAt: sql`now()` })
        .where(eq(sailings.id, pair.outbound));
      return queueSailingNotice(tx, {
        sailingId: pair.outbound,
        change: "cancelled",
        message: "Technical fault.",
      });
    });
    expect(queued).toEqual({ queued: BOOKINGS, batches: 3 });
    // Replaying the same change (a double click, a retried request) queues nothing more.
    expect(
      await t.db.transaction((tx) =>
        queueSailingNotice(tx, { sailingId: pair.outbound, change: "cancelled" }),
      ),
    ).toEqual({
      queued: 0,
      batches: 0,
    });
    const jobs = await t.db.execute<{ queue_name: string; n: number }>(
      sql`select queue_name, count(*)::int as n from graphile_worker.jobs where task_identifier = 'send_email_batch' group by 1`,
    );
    expect(jobs).toEqual([{ queue_name: "resend-batch", n: 3 }]);
    const payloads = await t.db.execute<{ payload: { outboxIds: string[] } }>(
      sql`select p.payload from graphile_worker.jobs j join graphile_worker._private_jobs p using (id)
          where j.task_identifier = 'send_email_batch'`,
    );
    // Job payloads hold outbox ids only: no addresses or names in the job table.
    for (const { payload } of payloads) expect(Object.keys(payload)).toEqual(["outboxIds"]);
    // Full batches of the batch endpoint's 100 (the task's payload schema would refuse more anyway).
    expect(payloads.map(({ payload }) => payload.outboxIds.length)).toEqual([100, 100, 100]);

    await startWorkers();
    await waitFor(async () => (await queuedCount(t.db)) === 0, 30_000, "all notices sent");

    const sent = emu.emails();
    expect(sent).toHaveLength(BOOKINGS);
    expect(sent.every((e) => e.batch)).toBe(true);
    expect(new Set(sent.map((e) => e.to[0]))).toEqual(emails);
    const fr = sent.find((e) => e.subject.startsWith("Traversée annulée"));
    const ar = sent.find((e) => e.subject.startsWith("إلغاء رحلة"));
    expect(fr?.html).toContain("Technical fault.");
    expect(ar?.html).toContain('dir="rtl"');

    const requests = emu.requests().filter((r) => r.path === "/emails/batch");
    // Three batches of 100. A request lost to a network blip is retried, so count the accepted ones; none
    // may ever be refused for going over the rate.
    expect(requests.filter((r) => r.status === 200)).toHaveLength(3);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(maxInAnySecond(requests.map((r) => r.time))).toBeLessThanOrEqual(RATE);
    const rows = await t.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "sailing_notice"));
    expect(rows).toHaveLength(BOOKINGS);
    expect(rows.every((r) => r.status === "SENT" && r.providerId && r.attempts >= 1)).toBe(true);
    expect(new Set(rows.map((r) => r.providerId)).size).toBe(BOOKINGS);
  });

  it("a second change of the same sailing is a new notice; a bad address fails alone", async () => {
    emu.reset();
    const pair = await pickSailings(t.db, new Date("2027-01-08T00:00:00Z"));
    const good = await createBooking(t.db, { outboundSailingId: pair.outbound });
    // One address is broken: Resend's permissive batch mode rejects it alone.
    const bad = await createBooking(t.db, { outboundSailingId: pair.outbound, email: "broken-address" });
    const first = await t.db.transaction((tx) =>
      queueSailingNotice(tx, { sailingId: pair.outbound, change: "changed", version: 1 }),
    );
    const second = await t.db.transaction((tx) =>
      queueSailingNotice(tx, { sailingId: pair.outbound, change: "changed", version: 2 }),
    );
    expect(first.queued).toBe(2);
    expect(second.queued).toBe(2);
    await startWorkers();
    await waitFor(async () => (await queuedCount(t.db)) === 0, 20_000, "notices settled");
    const rows = await t.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "sailing_notice"));
    const mine = rows.filter((r) => r.bookingId === good.id || r.bookingId === bad.id);
    expect(mine.filter((r) => r.bookingId === good.id).map((r) => r.status)).toEqual(["SENT", "SENT"]);
    const failed = mine.filter((r) => r.bookingId === bad.id);
    expect(failed.map((r) => r.status)).toEqual(["FAILED", "FAILED"]);
    expect(failed[0]!.lastError).toContain("Invalid `to` field");
    expect(emu.emails()).toHaveLength(2);
    expect(emu.emails().every((e) => e.subject.startsWith("Schedule change"))).toBe(true);
  });

  it("paces back-to-back batch jobs across two workers to the rate (small batches render fast)", async () => {
    emu.reset();
    const pair = await pickSailings(t.db, new Date("2027-01-10T00:00:00Z"));
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const rows = await t.db
      .insert(emailOutbox)
      .values(
        Array.from({ length: 12 }, (_, i) => ({
          kind: "sailing_notice",
          bookingId: b.id,
          recipient: b.email,
          dedupeKey: `pace:${i}:${b.id}`,
          data: { sailingId: pair.outbound, change: "changed" },
        })),
      )
      .returning({ id: emailOutbox.id });
    const ids = rows.map((r) => r.id).sort();
    // Six jobs of two: without pacing they would all hit Resend within a few milliseconds.
    for (let i = 0; i < ids.length; i += 2) {
      const chunk = ids.slice(i, i + 2);
      await enqueue(
        t.db,
        "send_email_batch",
        { outboxIds: chunk },
        { queueName: BATCH_QUEUE, jobKey: batchJobKey(chunk) },
      );
    }
    await startWorkers();
    await waitFor(async () => (await queuedCount(t.db)) === 0, 20_000, "paced batches sent");
    const requests = emu.requests().filter((r) => r.path === "/emails/batch");
    expect(requests.filter((r) => r.status === 200)).toHaveLength(6);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(maxInAnySecond(requests.map((r) => r.time))).toBeLessThanOrEqual(RATE);
    expect(emu.emails()).toHaveLength(12);
  });
});
