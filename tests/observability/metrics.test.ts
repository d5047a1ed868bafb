import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings } from "@/server/db/schema/bookings";
import { emailOutbox } from "@/server/db/schema/email";
import { payments } from "@/server/db/schema/payments";
import { GET } from "@/app/api/metrics/route";
import { metricsRefusal } from "@/server/features/observability/access";
import { renderMetrics } from "@/server/features/observability/scrape";
import type { Services } from "@/server/services";
import { localDate } from "@/shared/dates";
import { startMetricsServer } from "../../worker/metrics-server";
import { adminCaller, callerFor } from "../admin/admin-helpers";
import {
  adult,
  type BookingStack,
  bookingInput,
  bookingStackForFile,
  nextSailing,
  waitFor,
} from "../helpers/booking-stack";
import { metricValue, parsePrometheusText } from "./prom-text";

const s: BookingStack = bookingStackForFile({}, () => s.startWorker());

const TOKEN = "metrics-token-for-tests-0123456789";
/** Through the router, whose input schema allows letters only in names. */
const traveller = (email: string) => ({
  passengers: [{ ...adult(1), firstName: "Amira" }],
  contact: { email },
});

describe("who may read metrics", () => {
  const bearer = (t: string) => new Headers({ authorization: `Bearer ${t}` });
  it("production refuses without the token, and serves none when no token is configured", () => {
    const base = { mode: "production" as const, loopback: true };
    expect(metricsRefusal({ ...base, headers: new Headers(), token: TOKEN })?.status).toBe(401);
    expect(
      metricsRefusal({ ...base, headers: bearer("wrong-token-wrong-token"), token: TOKEN })?.status,
    ).toBe(401);
    expect(metricsRefusal({ ...base, headers: bearer(TOKEN), token: TOKEN })).toBeNull();
    expect(metricsRefusal({ ...base, headers: bearer(TOKEN), token: undefined })?.status).toBe(404);
  });
  it("development serves loopback without a token, and nobody else", () => {
    const base = { mode: "development" as const, headers: new Headers(), token: undefined };
    expect(metricsRefusal({ ...base, loopback: true })).toBeNull();
    expect(metricsRefusal({ ...base, loopback: false })?.status).toBe(403);
  });

  it("the app's /api/metrics (test mode, no token): Prometheus text to loopback, 403 to anyone else", async () => {
    const g = globalThis as unknown as { __traverseServices?: Services };
    g.__traverseServices = s.svc;
    try {
      const local = await GET(
        new Request("http://localhost:3000/api/metrics", { headers: { host: "localhost:3000" } }),
      );
      expect(local.status).toBe(200);
      const { types } = parsePrometheusText(await local.text());
      expect(types.get("traverse_http_request_duration_seconds")).toBe("histogram");
      expect(types.get("traverse_holds_active")).toBe("gauge");
      const remote = await GET(
        new Request("http://traverse.example/api/metrics", { headers: { host: "traverse.example" } }),
      );
      expect(remote.status).toBe(403);
      expect(await remote.text()).not.toContain("traverse_");
    } finally {
      g.__traverseServices = undefined;
    }
  });

  it("the worker's endpoint in production mode: 401 without the token, Prometheus text with it", async () => {
    const server = await startMetricsServer({ svc: s.svc, port: 0, mode: "production", token: TOKEN });
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain("traverse_");
      const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toContain("text/plain");
      const { types } = parsePrometheusText(await ok.text());
      expect(types.get("traverse_job_duration_seconds")).toBe("histogram");
      expect(types.get("traverse_jobs_pending")).toBe("gauge");
    } finally {
      await server.close();
    }
  });
});

describe("after a search, a booking and a payment", () => {
  it("the counters and histograms moved", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 5);
    const { caller } = callerFor(s.svc, new Headers(), "203.0.113.41");
    const labelsOk = (procedure: string) => ({ procedure, outcome: "ok" });
    const read = () =>
      Promise.all([
        metricValue("traverse_http_request_duration_seconds_count", labelsOk("search.sailings")),
        metricValue("traverse_http_request_duration_seconds_count", labelsOk("booking.create")),
        metricValue("traverse_cache_requests_total", { result: "miss" }),
        metricValue("traverse_cache_requests_total", { result: "hit" }),
        metricValue("traverse_bookings_total", { status: "PENDING_PAYMENT" }),
        metricValue("traverse_bookings_total", { status: "CONFIRMED" }),
        metricValue("traverse_payment_confirmation_seconds_count"),
        metricValue("traverse_email_delivery_seconds_count", { kind: "booking_confirmed" }),
        metricValue("traverse_job_duration_seconds_count", { task: "process_stripe_event", outcome: "ok" }),
        metricValue("traverse_job_duration_seconds_count", { task: "send_email", outcome: "ok" }),
      ]);
    const before = await read();
    const emailSumBefore = await metricValue("traverse_email_delivery_seconds_sum", {
      kind: "booking_confirmed",
    });
    const confirmationSumBefore = await metricValue("traverse_payment_confirmation_seconds_sum");

    const search = {
      from: "TUN",
      to: "TPS",
      date: localDate(sailing.departureAt, "Africa/Tunis"),
      passengers: { adults: 1 },
    };
    await caller.search.sailings(search);
    await caller.search.sailings(search);
    const created = await caller.booking.create(bookingInput(sailing.id, traveller("metrics@example.com")));
    const [b] = await s.t.db.select().from(bookings).where(eq(bookings.reference, created.reference));
    const [p] = await s.t.db.select().from(payments).where(eq(payments.bookingId, b!.id));
    s.emulator.pay(p!.checkoutSessionId!, "4242424242424242");
    await waitFor(
      async () =>
        (await s.t.db.select().from(emailOutbox).where(eq(emailOutbox.bookingId, b!.id))).find(
          (e) => e.kind === "booking_confirmed",
        )?.status,
      (v) => v === "SENT",
      20_000,
      "the confirmation email SENT",
    );
    // The send job observes its duration as it returns, just after the row turned SENT.
    const after = await waitFor(read, (v) => v[9]! > before[9]!, 10_000, "send_email's duration observed");

    const moved = after.map((v, i) => v - before[i]!);
    expect(moved[0]).toBe(2); // search.sailings
    expect(moved[1]).toBe(1); // booking.create
    expect(moved[2]).toBeGreaterThan(0); // the first search missed
    expect(moved[3]).toBeGreaterThan(0); // the second one hit
    expect(moved[4]).toBe(1); // PENDING_PAYMENT
    expect(moved[5]).toBe(1); // CONFIRMED
    expect(moved[6]).toBe(1); // payment confirmation delay
    expect(moved[7]).toBe(1); // email delivery delay
    expect(moved[8]).toBeGreaterThanOrEqual(1);
    expect(moved[9]).toBeGreaterThanOrEqual(1);

    // The admin Operations panel reads the same timestamps: with one confirmed booking and one email in
    // this database, its figures are the very values the histograms observed.
    const observedEmail =
      (await metricValue("traverse_email_delivery_seconds_sum", { kind: "booking_confirmed" })) -
      emailSumBefore;
    const observedConfirmation =
      (await metricValue("traverse_payment_confirmation_seconds_sum")) - confirmationSumBefore;
    const { caller: admin } = await adminCaller(s.svc);
    const delays = await admin.admin.operations.delays();
    expect(delays.overall.confirmation.count).toBe(1);
    expect(delays.overall.email.count).toBe(1);
    expect(delays.overall.email.p50).toBeCloseTo(observedEmail, 1);
    expect(Math.abs(delays.overall.confirmation.p50! - observedConfirmation)).toBeLessThan(0.5);
    expect(delays.email).toHaveLength(24);
    const hour = delays.email.find((h) => h.count > 0)!;
    expect(hour.p95).toBe(delays.overall.email.p95);
    expect(delays.promised).toEqual({ confirmation: { from: 5, to: 15 }, email: { from: 10, to: 20 } });
  });

  it("the state gauges read Postgres at scrape time", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 6);
    const { caller } = callerFor(s.svc, new Headers(), "203.0.113.42");
    const holds = async () => {
      const { samples } = parsePrometheusText((await renderMetrics(s.svc)).body);
      return samples.find((x) => x.name === "traverse_holds_active")!.value;
    };
    const before = await holds();
    await caller.booking.create(bookingInput(sailing.id, traveller("gauge@example.com")));
    expect(await holds()).toBe(before + 1);
    const { samples } = parsePrometheusText((await renderMetrics(s.svc)).body);
    const tasks = samples.filter((x) => x.name === "traverse_jobs_pending").map((x) => x.labels.task);
    expect(tasks).toEqual(expect.arrayContaining(["send_email", "process_stripe_event", "expire_hold"]));
  });
});
