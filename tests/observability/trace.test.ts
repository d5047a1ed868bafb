import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments } from "@/server/db/schema/payments";
import { enqueue } from "@/server/lib/jobs";
import { registerTracing } from "@/server/lib/tracing-sdk";
import { callerFor } from "../admin/admin-helpers";
import {
  adult,
  type BookingStack,
  bookingInput,
  createBookingStack,
  nextSailing,
  waitFor,
} from "../helpers/booking-stack";

/**
 * One booking, followed from the traveller's request to the confirmation email: the tRPC call, the
 * Stripe webhook (which finds the booking's trace through its payment row), the process_stripe_event
 * job and the send_email job it queues are one trace, each span the child of the one before.
 */
const exporter = new InMemorySpanExporter();
const tracing = registerTracing({ serviceName: "traverse-test", exporter });
let s: BookingStack;
beforeAll(async () => {
  s = await createBookingStack();
  await s.startWorker();
});
afterAll(async () => {
  await s.close();
  await tracing.shutdown();
});

const spans = () => exporter.getFinishedSpans();
const named = (name: string, traceId: string) =>
  spans().find((x) => x.name === name && x.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("one trace from click to email", () => {
  it("covers booking.create, the Stripe webhook, process_stripe_event and send_email, to Resend", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    try {
      const sailing = await nextSailing(s.t, "TUN", "TPS", 4);
      const { caller } = callerFor(s.svc, new Headers(), "203.0.113.51");
      const created = await caller.booking.create(
        bookingInput(sailing.id, {
          passengers: [{ ...adult(1), firstName: "Amira" }],
          contact: { email: "trace@example.com" },
        }),
      );
      const create = spans().find((x) => x.name === "booking.create");
      expect(create).toBeDefined();
      const traceId = create!.spanContext().traceId;

      const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, created.reference));
      const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
      expect(p!.traceParent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      s.emulator.pay(p!.checkoutSessionId!, "4242424242424242");
      await waitFor(
        async () => named("send_email", traceId),
        (v) => v !== undefined,
        20_000,
        "the send_email span in the booking's trace",
      );

      const webhook = named("stripe.webhook", traceId);
      const processed = named("process_stripe_event", traceId);
      const sent = named("send_email", traceId);
      expect(webhook && processed && sent).toBeTruthy();
      expect(parentOf(webhook!)).toBe(create!.spanContext().spanId);
      expect(parentOf(processed!)).toBe(webhook!.spanContext().spanId);
      expect(parentOf(sent!)).toBe(processed!.spanContext().spanId);
      // …down to the calls to Stripe and Resend themselves.
      const checkout = named("stripe.checkout.sessions.create", traceId);
      expect(parentOf(checkout!)).toBe(create!.spanContext().spanId);
      const resend = named("resend.emails.send", traceId);
      expect(parentOf(resend!)).toBe(sent!.spanContext().spanId);
      expect(resend!.attributes["email.kind"]).toBe("booking_confirmed");
      const [outbox] = await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, b!.id));
      expect(outbox!.status).toBe("SENT");

      // The job's log lines carry the trace and the job.
      const line = lines.find((l) => l.includes("email sent") && l.includes(outbox!.id));
      expect(line).toContain(`traceId=${traceId}`);
      expect(line).toMatch(/jobId=\d+/);
      expect(line).toContain("task=send_email");
    } finally {
      spy.mockRestore();
    }
  });

  it("a job queued outside any trace starts its own", async () => {
    const before = spans().length;
    await s.svc.db.transaction((tx) => enqueue(tx, "noop", { note: "untraced" }));
    const noop = await waitFor(
      async () =>
        spans()
          .slice(before)
          .find((x) => x.name === "noop"),
      (v) => v !== undefined,
      10_000,
      "the noop job's span",
    );
    expect(noop!.parentSpanContext).toBeUndefined();
  });
});
