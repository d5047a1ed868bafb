import { DrizzleQueryError } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it, vi } from "vitest";
import { describeError, scrubbed } from "@/server/lib/describe-error";
import { AppError } from "@/server/lib/errors";
import { log } from "@/server/lib/log";

/** The shapes `describeError` meets besides a real Postgres error (tests/security/no-personal-data-in-logs.test.ts). */
describe("describeError", () => {
  it("never uses drizzle's wrapper message, which is the query and its parameters", () => {
    const e = new DrizzleQueryError(
      "insert into passengers values ($1, $2)",
      ["Zeynab", "PX9876543"],
      new TypeError("bad"),
    );
    expect(describeError(e)).toBe("TypeError: bad");
    expect(describeError(new DrizzleQueryError("select $1", ["a@b.example"]))).toBe("database query failed");
  });

  it("describes our own errors by code and reason, never by their message", () => {
    const e = new AppError("CONFLICT", "An admin with the email ops@example.com already exists.", {
      reason: "TAKEN",
    });
    expect(describeError(e)).toBe("AppError CONFLICT reason=TAKEN");
  });

  it("describes Stripe errors by type, status, code and request id", () => {
    const e = Stripe.errors.StripeError.generate({
      type: "invalid_request_error",
      message: "Invalid email address: someone@example.com",
      code: "email_invalid",
      statusCode: 400,
      requestId: "req_123",
    } as never);
    expect(describeError(e)).toBe("StripeInvalidRequestError status=400 code=email_invalid request=req_123");
  });

  it("keeps other errors' first line without quoted values, addresses or document-like tokens", () => {
    const e = new Error(
      "lookup failed for 'Zeynab' <someone@example.com> doc PX9876543\nsecond line Poisonpill",
    );
    const d = describeError(e);
    expect(d).toBe("Error: lookup failed for '…' [email] doc […]");
    expect(describeError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(
      "Error code=ECONNREFUSED: connect ECONNREFUSED",
    );
    expect(scrubbed(e).message).toBe(d);
    expect(scrubbed(scrubbed(e)).message).toBe(d);
  });

  it("is applied by the logger to errors passed as fields, even nested ones", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((l: string) => void lines.push(l));
    const pg = Object.assign(new Error("duplicate key value"), {
      name: "PostgresError",
      code: "23505",
      severity: "ERROR",
      constraint_name: "bookings_reference",
      table_name: "bookings",
      parameters: ["someone@example.com"],
      detail: "Key (contact_email)=(someone@example.com) already exists.",
    });
    log.error("x", { error: pg, nested: { inner: pg } });
    vi.restoreAllMocks();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "error=database error sqlstate=23505 constraint=bookings_reference table=bookings",
    );
    expect(lines[0]).not.toContain("someone@example.com");
  });
});
