import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ResendEmulator, startResendEmulator } from "../../emulators/resend/server";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { seedDatabase } from "@/server/seed/seed";
import { queueEmail, resendEmail } from "@/server/features/email/outbox";
import { sendOutboxEmail } from "@/server/features/email/send";
import type { WorkerHandle } from "../../worker/runner";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  createBooking,
  type FixtureBooking,
  outboxRow,
  pickSailings,
  type SailingPair,
  startTestWorker,
  emulatorTransport,
  waitFor,
} from "../helpers/email-fixtures";
import type { Services } from "@/server/services";
import { testServices } from "../helpers/services";

let t: TestDb;
/** This file's Services: its database, sending email to its own Resend emulator. */
let svc: Services;
let emu: ResendEmulator;
let pair: SailingPair;
let worker: WorkerHandle | undefined;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 21, devAdmin: null });
  pair = await pickSailings(t.db);
  emu = await startResendEmulator({ port: 0 });
  svc = testServices({ db: t.db, email: emulatorTransport(emu) });
});
afterAll(async () => {
  await worker?.stop();
  await emu.close();
  await t.destroy();
});
beforeEach(() => emu.reset());
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

async function runWorker() {
  worker = await startTestWorker(svc, t.url);
}

async function queue(
  b: FixtureBooking,
  kind: Parameters<typeof queueEmail>[1]["kind"],
  dedupeKey: string,
  data?: Record<string, unknown>,
) {
  return t.db.transaction((tx) =>
    queueEmail(tx, { kind, bookingId: b.id, recipient: b.email, locale: b.locale, dedupeKey, data }),
  );
}

const settled = (id: string) => async () => (await outboxRow(t.db, id)).status !== "QUEUED";
const emailsFor = (outboxId: string) => emu.emails().filter((e) => e.idempotencyKey === outboxId);
const postsFor = (outboxId: string) =>
  emu.requests().filter((r) => r.method === "POST" && r.idempotencyKey === outboxId);

async function jobRow(outboxId: string) {
  const rows = await t.db.execute<{
    run_at: Date;
    attempts: number;
    last_error: string | null;
    locked_at: Date | null;
  }>(
    sql`select run_at, attempts, last_error, locked_at from graphile_worker.jobs where key = ${`email:${outboxId}`}`,
  );
  return rows[0];
}

describe("send_email through the worker", () => {
  it("sends each kind once per event, to the booking's address, with its content", async () => {
    const b = await createBooking(t.db, {
      outboundSailingId: pair.outbound,
      returnSailingId: pair.inbound,
      vehicle: true,
    });
    const events = [
      {
        kind: "booking_confirmed",
        key: `confirmed:${b.id}`,
        expect: ["Amira Testova", "Your booking is confirmed"],
      },
      { kind: "hold_expired", key: `expired:${b.id}`, expect: ["has expired", "not been charged"] },
      {
        kind: "booking_cancelled",
        key: `cancelled:${b.id}`,
        data: { refundAmount: 25_000, currency: "EUR" },
        expect: ["€250.00", "5–10 business days"],
      },
      {
        kind: "refund_completed",
        key: `refund-ok:${b.id}`,
        data: { refundId: "rf_1", amount: 25_000, currency: "EUR" },
        expect: ["€250.00", "on its way"],
      },
      {
        kind: "refund_failed",
        key: `refund-failed:${b.id}`,
        data: { refundId: "rf_2", amount: 25_000, currency: "EUR", reason: "card closed" },
        expect: ["What to do", "card closed"],
      },
      {
        kind: "late_payment_refunded",
        key: `late:${b.id}`,
        data: { amount: 83_650, currency: "EUR" },
        expect: ["€836.50", "refunded your payment in full"],
      },
      {
        kind: "departure_reminder",
        key: `reminder:${b.id}:OUTBOUND`,
        data: { direction: "OUTBOUND" },
        expect: ["passport or national ID", "less than 24 hours"],
      },
    ] as const;
    const ids: string[] = [];
    for (const e of events) {
      const id = await queue(b, e.kind, e.key, "data" in e ? e.data : undefined);
      expect(id).not.toBeNull();
      ids.push(id!);
    }
    // The same events again (a replayed webhook, a second cron tick) queue nothing.
    for (const e of events)
      expect(await queue(b, e.kind, e.key, "data" in e ? e.data : undefined)).toBeNull();

    await runWorker();
    await waitFor(
      async () => (await Promise.all(ids.map((id) => settled(id)()))).every(Boolean),
      20_000,
      "all sent",
    );

    expect(emu.emails()).toHaveLength(events.length);
    for (const [i, e] of events.entries()) {
      const row = await outboxRow(t.db, ids[i]!);
      expect(row.status, e.kind).toBe("SENT");
      expect(row.attempts).toBe(1);
      const [email] = emailsFor(row.id);
      expect(email, e.kind).toBeDefined();
      expect(row.providerId).toBe(email!.id);
      expect(email!.to).toEqual([b.email]);
      expect(email!.from).toContain("Traverse");
      expect(email!.subject).toContain(e.kind === "departure_reminder" ? "Marseille" : b.reference);
      expect(email!.html).toContain(b.reference);
      for (const fragment of e.expect) expect(`${email!.html}\n${email!.text}`, e.kind).toContain(fragment);
      expect(email!.tags).toContainEqual({ name: "kind", value: e.kind });
    }
    // The confirmation carries one inline QR image per passenger and leg.
    const confirmation = emailsFor(ids[0]!)[0]!;
    expect(confirmation.attachments.map((a) => a.filename)).toEqual([
      "ticket-1.png",
      "ticket-2.png",
      "ticket-3.png",
      "ticket-4.png",
    ]);
  });

  it("a job that runs twice sends one email", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const id = (await queue(b, "booking_confirmed", `confirmed:${b.id}`))!;
    await runWorker();
    await waitFor(settled(id), 15_000, "sent");
    // A duplicate delivery of the same job (graphile-worker is at-least-once).
    await t.db.execute(
      sql`select graphile_worker.add_job('send_email', json_build_object('outboxId', ${id}::text))`,
    );
    await waitFor(
      async () => {
        const r = await t.db.execute<{ n: number }>(
          sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'send_email'`,
        );
        return r[0]!.n === 0;
      },
      10_000,
      "duplicate job done",
    );
    expect(emailsFor(id)).toHaveLength(1);
    expect(postsFor(id)).toHaveLength(1);
    expect((await outboxRow(t.db, id)).attempts).toBe(1);
  });

  it("a worker killed between Resend's answer and the outbox update does not send twice", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound, returnSailingId: pair.inbound });
    const id = (await queue(b, "booking_confirmed", `confirmed:${b.id}`))!;
    // First run dies right after Resend accepted the email.
    await expect(
      sendOutboxEmail(svc, id, {
        afterProviderAccepted: () => {
          throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    expect((await outboxRow(t.db, id)).status).toBe("QUEUED");
    expect(emailsFor(id)).toHaveLength(1);
    const firstId = emailsFor(id)[0]!.id;

    // The job is still there (it never completed); the worker retries it with the same key.
    await runWorker();
    await waitFor(settled(id), 15_000, "sent");
    const row = await outboxRow(t.db, id);
    expect(row.status).toBe("SENT");
    expect(row.providerId).toBe(firstId);
    expect(emailsFor(id)).toHaveLength(1);
    expect(emu.emails()).toHaveLength(1);
    const posts = postsFor(id);
    expect(posts).toHaveLength(2);
    expect(posts.map((p) => p.status)).toEqual([200, 200]);
  });

  it("500 twice then 200: retried with backoff, one email, SENT", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    emu.failNext({ count: 2, status: 500 });
    const id = (await queue(b, "hold_expired", `expired:${b.id}`))!;
    await runWorker();
    for (const attempt of [1, 2]) {
      await waitFor(
        async () => (await outboxRow(t.db, id)).attempts === attempt,
        10_000,
        `attempt ${attempt}`,
      );
      // Unlocked too: `attempts` counts up when the job is fetched and `last_error` is the previous
      // attempt's until this one fails, so without it the check could see the job mid-run.
      await waitFor(async () => {
        const j = await jobRow(id);
        return j?.last_error != null && j.attempts === attempt && j.locked_at === null;
      });
      const job = (await jobRow(id))!;
      // graphile-worker's exponential backoff: exp(attempt) seconds.
      expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now() + 1000);
      expect((await outboxRow(t.db, id)).lastError).toContain("500");
      // Skip the wait so the test stays fast; the retry itself is graphile-worker's.
      await t.db.execute(
        sql`update graphile_worker._private_jobs set run_at = now() where key = ${`email:${id}`}`,
      );
    }
    await waitFor(settled(id), 15_000, "sent");
    const row = await outboxRow(t.db, id);
    expect(row.status).toBe("SENT");
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
    expect(emailsFor(id)).toHaveLength(1);
    expect(postsFor(id).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("429 waits for retry-after before sending again", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    emu.failNext({ count: 1, status: 429, retryAfter: 2 });
    const id = (await queue(b, "hold_expired", `expired:${b.id}`))!;
    await runWorker();
    await waitFor(settled(id), 15_000, "sent");
    const posts = postsFor(id);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(2000);
    const row = await outboxRow(t.db, id);
    expect(row.status).toBe("SENT");
    expect(row.attempts).toBe(2);
    expect(emailsFor(id)).toHaveLength(1);
    // Exactly one job existed at a time and none is left.
    expect(await jobRow(id)).toBeUndefined();
  });

  it("422 is FAILED at once with Resend's message, and an admin can resend after fixing the address", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const id = (await t.db.transaction((tx) =>
      queueEmail(tx, {
        kind: "hold_expired",
        bookingId: b.id,
        recipient: "not-an-address",
        locale: "en",
        dedupeKey: `expired:${b.id}`,
      }),
    ))!;
    await runWorker();
    await waitFor(settled(id), 15_000, "failed");
    const row = await outboxRow(t.db, id);
    expect(row.status).toBe("FAILED");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("422");
    expect(row.lastError).toContain("Invalid `to` field");
    expect(postsFor(id)).toHaveLength(1);
    expect(emu.emails()).toHaveLength(0);
    expect(await jobRow(id)).toBeUndefined();

    // A row still QUEUED (no job here, so no worker can race the assertion) cannot be resent yet.
    const [pending] = await t.db
      .insert(emailOutbox)
      .values({ kind: "hold_expired", bookingId: b.id, recipient: b.email, dedupeKey: `pending:${b.id}` })
      .returning({ id: emailOutbox.id });
    await expect(resendEmail(svc, pending!.id)).rejects.toThrow("still being sent");
    await t.db
      .update(bookings)
      .set({ contactEmail: `fixed-${b.email}` })
      .where(eq(bookings.id, b.id));
    const again = await resendEmail(svc, id);
    await waitFor(settled(again), 15_000, "resent");
    const resent = await outboxRow(t.db, again);
    expect(resent.status).toBe("SENT");
    // Sent to the address as corrected on the booking.
    expect(resent.recipient).toBe(`fixed-${b.email}`);
    expect(resent.dedupeKey).toBe(`resend:${id}:1`);
    expect(emailsFor(again)[0]!.to).toEqual([`fixed-${b.email}`]);
    expect(await outboxRow(t.db, id)).toMatchObject({ status: "FAILED" });
    const second = await resendEmail(svc, id);
    expect((await outboxRow(t.db, second)).dedupeKey).toBe(`resend:${id}:2`);
  });

  it("gives up instead of retrying outside Resend's 24 h idempotency window", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const id = (await queue(b, "hold_expired", `expired-old:${b.id}`))!;
    await t.db
      .update(emailOutbox)
      .set({ createdAt: new Date(Date.now() - 23.5 * 3600_000), attempts: 9, lastError: "500 boom" })
      .where(eq(emailOutbox.id, id));
    const result = await sendOutboxEmail(svc, id);
    expect(result.outcome).toBe("failed");
    const row = await outboxRow(t.db, id);
    expect(row.status).toBe("FAILED");
    expect(row.lastError).toMatch(/^Gave up after 9 attempts/);
    expect(postsFor(id)).toHaveLength(0);

    // And a transient failure whose next retry would fall outside the window ends the email too.
    const late = (await queue(b, "hold_expired", `expired-late:${b.id}`))!;
    await t.db
      .update(emailOutbox)
      .set({ createdAt: new Date(Date.now() - 22.9 * 3600_000) })
      .where(eq(emailOutbox.id, late));
    emu.failNext({ count: 1, status: 503 });
    const r2 = await sendOutboxEmail(svc, late, { jobAttempt: 9 });
    expect(r2.outcome).toBe("failed");
    expect((await outboxRow(t.db, late)).lastError).toMatch(/^Gave up after 1 attempts: 503/);
  });

  it("a deleted booking's email is dropped, not retried", async () => {
    const b = await createBooking(t.db, { outboundSailingId: pair.outbound });
    const id = (await queue(b, "hold_expired", `expired-gone:${b.id}`))!;
    await t.db.delete(bookings).where(eq(bookings.id, b.id));
    expect(await sendOutboxEmail(svc, id)).toEqual({ outcome: "skipped", status: "MISSING" });
  });
});
