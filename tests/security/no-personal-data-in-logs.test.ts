import { format } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { enqueue } from "@/server/lib/jobs";
import { startWorker, type WorkerHandle } from "../../worker/runner";
import { oneAdultBooking, type RouteStack, startRouteStack, sailingInTwoDays } from "../helpers/route-stack";
import { testServices } from "../helpers/services";
import { answer, trpcPost } from "../support/trpc-http";

/**
 * A real constraint violation carrying personal data, in a request and in a job: nothing of it may reach
 * a log line (console and raw stdout/stderr are captured) or `graphile_worker.jobs.last_error`. Triggers
 * created in this file's database raise check violations whose message and detail quote the names,
 * passport number and email being written, the way a driver error quotes its parameters.
 */
const SECRETS = {
  firstName: "Zeynab",
  lastName: "Poisonpill",
  documentNumber: "PX9876543",
  email: "secret.traveller@example.com",
};
const FORBIDDEN = ["Zeynab", "Poisonpill", "PX9876543", "secret.traveller", "Ghaliaxx", "GX1122334"];

let s: RouteStack;
let sailingId: number;
let lines: string[] = [];

beforeAll(async () => {
  s = await startRouteStack({ TRUSTED_PROXY_HOPS: "1", LOG_LEVEL: "debug" });
  await s.t.sql.unsafe(`
    create function test_guard_passenger() returns trigger language plpgsql as $$
    begin
      if new.last_name = 'Poisonpill' then
        raise exception 'passenger % % (%) refused', new.first_name, new.last_name, new.document_number
          using errcode = 'check_violation', constraint = 'passengers_test_guard', table = 'passengers',
            column = 'document_number',
            detail = 'contact ' || (select contact_email from bookings where id = new.booking_id);
      end if;
      return new;
    end $$;
    create trigger test_guard_passenger before insert on passengers
      for each row execute function test_guard_passenger();
    create function test_guard_expiry() returns trigger language plpgsql as $$
    begin
      if new.status = 'EXPIRED' and old.contact_email like 'secret.%' then
        raise exception 'cannot expire % for %', old.contact_email,
          (select string_agg(first_name || ' ' || last_name || ' ' || document_number, ', ')
             from passengers where booking_id = old.id)
          using errcode = 'check_violation', constraint = 'bookings_test_guard', table = 'bookings';
      end if;
      return new;
    end $$;
    create trigger test_guard_expiry before update on bookings
      for each row execute function test_guard_expiry();`);
  sailingId = await sailingInTwoDays(s, "TUN", "MRS");
}, 60_000);
afterAll(() => s?.close());

function capture() {
  lines = [];
  const record = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, m).mockImplementation(record);
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    });
  }
}
afterEach(() => vi.restoreAllMocks());

function expectNoPersonalData(text: string, where: string) {
  for (const secret of FORBIDDEN) expect(text, `${where} contains ${secret}`).not.toContain(secret);
}

describe("a database error during booking.create", () => {
  it("is logged as SQLSTATE, constraint, table and column, and the answer carries none of it", async () => {
    // Control: the raw error really does carry the data, so logging it as it is would fail this test.
    const raw = await s.t.sql
      .begin(async (tx) => {
        const [b] =
          await tx`insert into bookings (reference, contact_email, total_amount, currency, hold_expires_at)
          values ('TRV-CNTRABCD', ${SECRETS.email}, 1, 'EUR', now()) returning id`;
        await tx`insert into passengers (booking_id, position, type, first_name, last_name, document_number)
          values (${b!.id}, 1, 'adult', ${SECRETS.firstName}, ${SECRETS.lastName}, ${SECRETS.documentNumber})`;
      })
      .catch((e: Error & { detail?: string }) => `${e.message} ${e.detail}`);
    expect(raw).toContain(SECRETS.documentNumber);
    expect(raw).toContain(SECRETS.email);

    capture();
    const input = oneAdultBooking(sailingId, SECRETS.email);
    input.passengers[0] = { ...input.passengers[0]!, ...SECRETS };
    const a = await answer(
      await s.POST(trpcPost("booking.create", input, { "x-forwarded-for": "192.0.2.10" })),
    );
    vi.restoreAllMocks();

    expect(a.status).toBe(500);
    expect(a.error?.message).toBe("Something went wrong on our side. Please try again.");
    expectNoPersonalData(a.raw, "the response");
    // Control: the capture saw the failure's own log line, with what an operator needs.
    const failure = lines.filter((l) => l.includes("procedure failed"));
    expect(failure, lines.join("\n")).toHaveLength(1);
    expect(failure[0]).toContain("path=booking.create");
    expect(failure[0]).toContain(
      "database error sqlstate=23514 constraint=passengers_test_guard table=passengers column=document_number",
    );
    expectNoPersonalData(lines.join("\n"), "the log");
    // Nothing was kept of the failed booking.
    const [n] = await s.t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from bookings where contact_email = ${SECRETS.email}`,
    );
    expect(n!.n).toBe(0);
  });
});

describe("a job that fails on a constraint violation", () => {
  let worker: WorkerHandle | undefined;
  afterAll(() => worker?.stop());

  it("stores and logs a scrubbed error, and is retried as before", async () => {
    const email = "secret.payer@example.com";
    const input = oneAdultBooking(sailingId, email);
    input.passengers[0] = { ...input.passengers[0]!, firstName: "Ghaliaxx", documentNumber: "GX1122334" };
    const created = await answer<{ reference: string }>(
      await s.POST(trpcPost("booking.create", input, { "x-forwarded-for": "192.0.2.11" })),
    );
    expect(created.status, created.raw).toBe(200);
    const [b] = await s.t.db.execute<{ id: string }>(
      sql`update bookings set hold_expires_at = now() - interval '1 minute'
          where reference = ${created.data!.reference} returning id`,
    );
    const jobKey = `hold:${b!.id}`;
    await enqueue(s.t.db, "expire_hold", { bookingId: b!.id }, { jobKey });

    capture();
    worker = await startWorker({
      connectionString: s.t.url,
      concurrency: 1,
      cron: false,
      pollInterval: 100,
      svc: testServices({ db: s.t.db }),
    });
    type Job = {
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      run_at: Date;
      locked_at: Date | null;
    };
    const deadline = Date.now() + 15_000;
    let job: Job | undefined;
    for (;;) {
      [job] = await s.t.db.execute<Job>(
        sql`select attempts, max_attempts, last_error, run_at, locked_at from graphile_worker.jobs where key = ${jobKey}`,
      );
      if (job?.last_error) break;
      if (Date.now() > deadline) throw new Error("the expire_hold job did not fail in 15 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.stop();
    worker = undefined;
    vi.restoreAllMocks();

    expect(job.last_error).toBe(
      "database error sqlstate=23514 constraint=bookings_test_guard table=bookings",
    );
    expectNoPersonalData(job.last_error ?? "", "jobs.last_error");
    // Retry semantics unchanged: the job is still there, scheduled again, with attempts left.
    expect(job.attempts).toBeGreaterThanOrEqual(1);
    expect(job.max_attempts).toBe(25);
    expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now() - 1000);
    const failed = lines.filter((l) => l.includes("job failed"));
    expect(failed.length, lines.join("\n")).toBeGreaterThanOrEqual(1);
    expect(failed[0]).toContain("task=expire_hold");
    expect(failed[0]).toContain("sqlstate=23514");
    expectNoPersonalData(lines.join("\n"), "the worker log");
  });
});
