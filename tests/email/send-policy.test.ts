import { describe, expect, it } from "vitest";
import {
  classifyResendError,
  GIVE_UP_AFTER_MS,
  graphileBackoffMs,
  MAX_SEND_ATTEMPTS,
  retryAfterMs,
  shouldGiveUp,
} from "@/server/features/email/send-policy";
import { batchIntervalMs } from "@/server/features/email/send-batch";

describe("Resend error classification", () => {
  const cases = [
    [{ statusCode: null, name: "application_error", message: "Unable to fetch data." }, "transient"],
    [{ statusCode: 500, name: "internal_server_error", message: "x" }, "transient"],
    [{ statusCode: 503, name: "internal_server_error", message: "x" }, "transient"],
    [{ statusCode: 429, name: "rate_limit_exceeded", message: "x" }, "rate_limited"],
    [{ statusCode: 429, name: "daily_quota_exceeded", message: "x" }, "rate_limited"],
    [{ statusCode: 429, name: "monthly_quota_exceeded", message: "x" }, "permanent"],
    [{ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }, "permanent"],
    [{ statusCode: 401, name: "missing_api_key", message: "x" }, "permanent"],
    [{ statusCode: 403, name: "invalid_api_key", message: "x" }, "permanent"],
    [{ statusCode: 409, name: "concurrent_idempotent_requests", message: "x" }, "transient"],
    [{ statusCode: 409, name: "invalid_idempotent_request", message: "x" }, "already_accepted"],
  ] as const;
  it.each(cases)("%o → %s", (error, kind) => {
    expect(classifyResendError(error, {}).kind).toBe(kind);
  });

  it("keeps the status, name and message for admins", () => {
    expect(
      classifyResendError({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }, null)
        .message,
    ).toBe("422 validation_error: Invalid `to` field.");
  });
});

describe("retry-after", () => {
  it("reads seconds, HTTP dates and ratelimit-reset, with a default and a cap", () => {
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2000);
    expect(retryAfterMs({ "retry-after": "0.5" })).toBe(500);
    const now = Date.parse("2027-01-04T10:00:00Z");
    expect(retryAfterMs({ "retry-after": "Mon, 04 Jan 2027 10:00:05 GMT" }, now)).toBe(5000);
    expect(retryAfterMs({ "ratelimit-reset": "3" })).toBe(3000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs({ "retry-after": "999999" })).toBe(3600_000);
    expect(
      classifyResendError({ statusCode: 429, name: "rate_limit_exceeded" }, { "retry-after": "7" }),
    ).toMatchObject({
      retryAfterMs: 7000,
    });
  });
});

describe("giving up", () => {
  const createdAt = new Date("2027-01-04T00:00:00Z");
  it("stops after the attempt limit for errors, never for 429s alone", () => {
    const now = new Date(createdAt.getTime() + 60_000);
    expect(shouldGiveUp({ jobAttempt: MAX_SEND_ATTEMPTS - 1, createdAt, now, nextDelayMs: 1000 })).toBe(
      false,
    );
    expect(shouldGiveUp({ jobAttempt: MAX_SEND_ATTEMPTS, createdAt, now, nextDelayMs: 1000 })).toBe(true);
    expect(shouldGiveUp({ jobAttempt: 40, createdAt, now, nextDelayMs: 1000, rateLimited: true })).toBe(
      false,
    );
  });

  it("never schedules a retry past Resend's 24 h idempotency window", () => {
    const now = new Date(createdAt.getTime() + GIVE_UP_AFTER_MS - 10_000);
    expect(shouldGiveUp({ jobAttempt: 1, createdAt, now, nextDelayMs: 5_000 })).toBe(false);
    expect(shouldGiveUp({ jobAttempt: 1, createdAt, now, nextDelayMs: 20_000 })).toBe(true);
    expect(shouldGiveUp({ jobAttempt: 1, createdAt, now, nextDelayMs: 20_000, rateLimited: true })).toBe(
      true,
    );
    expect(GIVE_UP_AFTER_MS).toBeLessThan(24 * 3600_000);
  });

  it("the attempt limit alone fits in the window (graphile backoff is exp(attempt) s)", () => {
    let total = 0;
    for (let a = 1; a < MAX_SEND_ATTEMPTS; a++) total += graphileBackoffMs(a);
    expect(total).toBeLessThan(GIVE_UP_AFTER_MS);
  });

  it("paces batches a little under the rate so network jitter cannot push it over", () => {
    expect(batchIntervalMs(2)).toBe(525);
    expect(batchIntervalMs(10)).toBe(105);
  });
});
