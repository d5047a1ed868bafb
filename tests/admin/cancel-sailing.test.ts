import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type ResendEmulator, startResendEmulator } from "../../emulators/resend/server";
import { auditLog } from "@/server/db/schema/admin";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments, refunds } from "@/server/db/schema/payments";
import { inventory, sailings } from "@/server/db/schema/sailings";
import { createBooking } from "@/server/features/booking/create";
import { emailTransport } from "@/server/features/email/resend-client";
import type { Services } from "@/server/services";
import type { WorkerHandle } from "../../worker/runner";
import {
  adult,
  bookingInput,
  nextSailing,
  bookingStackForFile,
  waitFor,
  holdBooking,
  payAndApply,
} from "../helpers/booking-stack";
import { withOverrides } from "../helpers/services";
import { adminCaller } from "./admin-helpers";

let emu: ResendEmulator;
let worker: WorkerHandle;
/** The stack's Services, sending email to this file's own Resend emulator. */
let svc: Services;
const s = bookingStackForFile({}, async () => {
  emu = await startResendEmulator({ port: 0 });
  svc = withOverrides(s.svc, {
    email: emailTransport({
      apiKey: "re_test_key",
      baseUrl: emu.url,
      requestsPerSecond: 50,
      timeoutMs: 5000,
    }),
  });
});
afterAll(async () => {
  await worker?.stop();
  await emu.close();
});

/** A booking paid through the Stripe emulator, confirmed the way the webhook worker does it. */
async function confirmedOn(sailingId: number, i: number) {
  const { booking, payment, email } = await holdBooking(s, sailingId, i, `sc${i}@example.com`);
  const { paid } = await payAndApply(s, payment);
  return { id: booking.id, email, total: paid.amountTotal };
}

describe("cancelling a sailing", () => {
  it("cancels, fully refunds and emails every booking on it exactly once, even when called repeatedly", async () => {
    const { caller: api } = await adminCaller(s.svc);
    const sailing = await nextSailing(s.t, "TUN", "TPS", 3);
    const confirmed = [];
    for (let i = 1; i <= 3; i++) confirmed.push(await confirmedOn(sailing.id, i));
    const pending = await createBooking(
      s.svc,
      bookingInput(sailing.id, { passengers: [adult(9)], contact: { email: "pending@example.com" } }),
    );
    const elsewhere = await confirmedOn((await nextSailing(s.t, "TUN", "MRS", 3)).id, 7);
    // 30 hours out the STANDARD policy refunds nothing: a sailing cancellation must still refund in full.
    await s.t.db
      .update(sailings)
      .set({ departureAt: sql`now() + interval '30 hours'`, arrivalAt: sql`now() + interval '40 hours'` })
      .where(eq(sailings.id, sailing.id));

    // Two admins clicking at once, then a third click later.
    const [a, b] = await Promise.all([
      api.admin.schedule.cancelSailing({ sailingId: sailing.id, message: "Technical fault on the vessel." }),
      api.admin.schedule.cancelSailing({ sailingId: sailing.id }),
    ]);
    const c = await api.admin.schedule.cancelSailing({ sailingId: sailing.id });
    expect([a, b].filter((r) => !r.alreadyCancelled)).toHaveLength(1);
    expect(c.alreadyCancelled).toBe(true);
    expect(a.bookingsCancelled + b.bookingsCancelled + c.bookingsCancelled).toBe(4);
    expect(a.noticesQueued + b.noticesQueued + c.noticesQueued).toBe(3);
    expect(a.refundsRequested.count + b.refundsRequested.count + c.refundsRequested.count).toBe(3);
    expect([...a.failed, ...b.failed, ...c.failed]).toEqual([]);

    worker = await s.startWorker(svc);
    const ids = confirmed.map((x) => x.id);
    const done = await waitFor(
      () => s.t.db.select().from(refunds).where(inArray(refunds.bookingId, ids)),
      (rows) => rows.length === 3 && rows.every((r) => r.status === "SUCCEEDED"),
      20_000,
    );
    expect(done.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    for (const x of confirmed) {
      const mine = done.filter((r) => r.bookingId === x.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ amount: x.total, reason: "SAILING_CANCELLED" });
      const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, x.id));
      expect(p).toMatchObject({ status: "REFUNDED", amountRefunded: x.total });
    }

    // Every traveller: one cancellation email, one sailing notice, one refund confirmation — all sent.
    const outbox = await waitFor(
      () =>
        s.t.db
          .select()
          .from(emailOutbox)
          .where(inArray(emailOutbox.bookingId, [...ids, elsewhere.id])),
      (rows) =>
        rows.filter((r) => r.kind !== "booking_confirmed").length >= 9 &&
        rows.every((r) => r.status !== "QUEUED"),
      20_000,
    );
    for (const x of confirmed) {
      const kinds = outbox
        .filter((r) => r.bookingId === x.id)
        .map((r) => r.kind)
        .sort();
      expect(kinds).toEqual(["booking_cancelled", "booking_confirmed", "refund_completed", "sailing_notice"]);
      expect(outbox.filter((r) => r.bookingId === x.id).every((r) => r.status === "SENT")).toBe(true);
    }
    const sentTo = (email: string) => emu.emails().filter((e) => e.to.includes(email)).length;
    for (const x of confirmed) expect(sentTo(x.email)).toBe(4);

    // The unpaid booking is cancelled without a refund (and its checkout expired), told once.
    const [pb] = await s.t.db.select().from(bookings).where(eq(bookings.reference, pending.reference));
    expect(pb!.status).toBe("CANCELLED");
    expect(await s.t.db.select().from(refunds).where(eq(refunds.bookingId, pb!.id))).toEqual([]);
    const pendingMail = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, pb!.id));
    expect(pendingMail.map((r) => r.kind)).toEqual(["booking_cancelled"]);

    // Places are back, the sailing is cancelled, the booking on another sailing is untouched.
    const [st] = await s.t.db.select().from(sailings).where(eq(sailings.id, sailing.id));
    expect(st!.status).toBe("CANCELLED");
    const inv = await s.t.db.select().from(inventory).where(eq(inventory.sailingId, sailing.id));
    expect(inv.every((r) => r.held === 0 && r.sold === 0)).toBe(true);
    const [other] = await s.t.db.select().from(bookings).where(eq(bookings.id, elsewhere.id));
    expect(other!.status).toBe("CONFIRMED");

    // Audited: the sailing once, each booking once.
    const audits = await s.t.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} like 'schedule.cancelSailing%'`);
    expect(audits.filter((x) => x.action === "schedule.cancelSailing")).toHaveLength(1);
    expect(audits.filter((x) => x.action === "schedule.cancelSailing.booking")).toHaveLength(4);

    // A new booking on it is refused.
    await expect(createBooking(s.svc, bookingInput(sailing.id))).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a sailing that has already left", async () => {
    const { caller: api } = await adminCaller(s.svc);
    const sailing = await nextSailing(s.t, "TUN", "MRS", 3);
    await s.t.db
      .update(sailings)
      .set({ departureAt: sql`now() - interval '2 hours'`, arrivalAt: sql`now() + interval '10 hours'` })
      .where(and(eq(sailings.id, sailing.id)));
    await expect(api.admin.schedule.cancelSailing({ sailingId: sailing.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});
