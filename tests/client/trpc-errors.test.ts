import { createTRPCClient } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { createTranslator } from "use-intl/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorText } from "@/components/booking/error-text";
import type { AppRouter } from "@/server/api/root";
import { AppError } from "@/server/lib/errors";
import { type AppErrorView, applyFieldErrors, NETWORK_MESSAGE, readAppError } from "@/trpc/errors";
import en from "../../messages/en/errors.json";
import {
  ORIGIN,
  oneAdultBooking,
  type RouteStack,
  startRouteStack,
  sailingInTwoDays,
} from "../helpers/route-stack";

/**
 * Errors as the pages read them: real refusals from the real `/api/trpc` handler, received by the app's own
 * tRPC link, read by `readAppError` and put into words by the traveller pages' `errorText`.
 */
let s: RouteStack;
let sailingId: number;

function client(headers: Record<string, string> = {}, fail?: Error) {
  return createTRPCClient<AppRouter>({
    links: [
      s.app.links.appLink({
        url: `${ORIGIN}/api/trpc`,
        fetch: async (url, init) => {
          if (fail) throw fail;
          const req = new Request(url, init);
          for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
          return s.POST(req);
        },
      }),
    ],
  });
}

async function refusal(call: Promise<unknown>): Promise<{ error: unknown; view: AppErrorView }> {
  const error = await call.then(
    () => {
      throw new Error("the call was expected to fail");
    },
    (e: unknown) => e,
  );
  return { error, view: readAppError(error) };
}

/** A booking refused for a first name with digits, sent from `ip`. */
function refusedFirstName(email: string, ip: string) {
  const input = oneAdultBooking(sailingId, email);
  input.passengers[0]!.firstName = "R2D2";
  return refusal(client({ "x-forwarded-for": ip }).booking.create.mutate(input as never));
}

const t = createTranslator({ locale: "en", messages: { errors: en }, namespace: "errors" });
const say = (v: AppErrorView, context?: "lookup" | "booking") => errorText(v, t as never, context);

beforeAll(async () => {
  s = await startRouteStack({ BOOKING_UNPAID_PER_EMAIL: "1", TRUSTED_PROXY_HOPS: "1" });
  sailingId = await sailingInTwoDays(s, "TUN", "MRS");
}, 60_000);
afterAll(() => s?.close());

describe("readAppError", () => {
  it("reads the fields of a refused input, each at its path", async () => {
    const { view } = await refusedFirstName("fields@example.com", "198.51.100.1");
    expect(view.code).toBe("BAD_REQUEST");
    expect(view.httpStatus).toBe(400);
    expect(view.reason).toBeNull();
    expect(view.fieldErrors).toEqual({
      "passengers.0.firstName": "Use only letters, spaces, hyphens and apostrophes in the first name.",
    });
  });

  it("reads the field a whole-input refusal is about", async () => {
    const { view } = await refusal(
      client({ "x-forwarded-for": "198.51.100.2" }).booking.create.mutate(
        oneAdultBooking(999_999, "nowhere@example.com") as never,
      ),
    );
    expect(view.code).toBe("NOT_FOUND");
    expect(view.httpStatus).toBe(404);
    expect(view.field).toBe("outbound");
    expect(view.message).toBe("The outbound sailing does not exist. Search again.");
  });

  it("reads a reason sent in `details`, with the limit and when to come back", async () => {
    const c = client({ "x-forwarded-for": "198.51.100.3" });
    await c.booking.create.mutate(oneAdultBooking(sailingId, "twice@example.com") as never);
    const { view } = await refusal(
      c.booking.create.mutate(oneAdultBooking(sailingId, "twice@example.com") as never),
    );
    expect(view.code).toBe("TOO_MANY_REQUESTS");
    expect(view.httpStatus).toBe(429);
    expect(view.reason).toBe("RATE_LIMITED");
    expect(view.details.limit).toBe("UNPAID");
    expect(view.details.max).toBe(1);
    // The hold just taken lasts 30 minutes.
    expect(view.retryAfterSeconds).toBeGreaterThan(25 * 60);
    expect(view.retryAfterSeconds).toBeLessThanOrEqual(31 * 60);
    // The page says, in its language, what the server says in English.
    expect(say(view)).toBe(view.message);
    expect(say(view)).toMatch(/already has 1 bookings waiting for payment.*in 3\d minutes/);
  });

  it("receives a feature's reason on `error.data.reason`, with the status from the one table", async () => {
    const { error, view } = await refusal(
      client().search.sailing.query({ id: 999_999, passengers: { adults: 1 } }),
    );
    const data = (error as { data?: Record<string, unknown> }).data;
    expect(data).toMatchObject({ reason: "SAILING_NOT_FOUND", code: "NOT_FOUND", httpStatus: 404 });
    expect(view.reason).toBe("SAILING_NOT_FOUND");
    // The page's words for it, not the server's sentence.
    expect(say(view)).toBe(en.SAILING_NOT_FOUND);
  });

  it("sends the generic code as the reason of a refused input, which pages do not treat as a reason", async () => {
    const { error, view } = await refusal(
      client().search.sailing.query({ id: -1, passengers: { adults: 1 } } as never),
    );
    expect((error as { data?: { reason?: string } }).data?.reason).toBe("BAD_REQUEST");
    expect(view.reason).toBeNull();
    expect(view.fieldErrors.id).toBe("Choose a sailing.");
  });

  it("reads a server component's TRPCError by its AppError cause", () => {
    const cause = new AppError("SOLD_OUT", "No room.", { resource: "VEHICLE" });
    const v = readAppError(new TRPCError({ code: cause.code, message: cause.message, cause }));
    expect(v).toMatchObject({ code: "CONFLICT", httpStatus: 409, reason: "SOLD_OUT", message: "No room." });
    expect(say(v)).toBe(en.SOLD_OUT_VEHICLE);
    const plain = readAppError(new TRPCError({ code: "BAD_REQUEST", message: "Bad." }));
    expect(plain).toMatchObject({ code: "BAD_REQUEST", reason: null, message: "Bad." });
  });

  it("reads a reason sent on `data` itself (a refusal before any procedure runs)", async () => {
    const { error, view } = await refusal(
      client({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }).system.ping.query(),
    );
    expect((error as { data?: { reason?: string } }).data?.reason).toBe("CROSS_SITE_REQUEST");
    expect(view.code).toBe("FORBIDDEN");
    expect(view.httpStatus).toBe(403);
    expect(view.reason).toBe("CROSS_SITE_REQUEST");
  });

  it("reads an admin refusal's reason", async () => {
    const { view } = await refusal(client().admin.cache.stats.query());
    expect(view.code).toBe("UNAUTHORIZED");
    expect(view.reason).toBe("SIGN_IN_REQUIRED");
    expect(view.message).toBe("Please sign in to the admin area.");
  });

  it("tells a server that never answered from one that refused", async () => {
    const { view } = await refusal(client({}, new TypeError("fetch failed")).system.ping.query());
    expect(view.code).toBe("NETWORK");
    expect(view.httpStatus).toBeNull();
    expect(view.message).toBe(NETWORK_MESSAGE);
    expect(say(view)).toBe("We could not reach Traverse. Check your connection and try again.");
  });

  it("reads any other error by its message", () => {
    expect(readAppError(new Error("boom"))).toMatchObject({
      code: null,
      reason: null,
      message: "boom",
      details: {},
    });
  });
});

describe("errorText", () => {
  const view = (v: Partial<AppErrorView>): AppErrorView => ({
    code: null,
    httpStatus: null,
    reason: null,
    message: "the server's sentence",
    fieldErrors: {},
    field: null,
    retryAfterSeconds: null,
    details: {},
    ...v,
  });

  it("names the resource that sold out when it has words for it", () => {
    expect(say(view({ reason: "SOLD_OUT", details: { resource: "VEHICLE" } }))).toBe(en.SOLD_OUT_VEHICLE);
    expect(say(view({ reason: "SOLD_OUT", details: { resource: "CABIN_INSIDE" } }))).toBe(en.SOLD_OUT);
  });

  it("says a lookup found nothing only for lookups, and falls back to the server's sentence", () => {
    expect(say(view({ code: "NOT_FOUND" }), "lookup")).toBe(en.LOOKUP_NOT_FOUND);
    expect(say(view({ code: "NOT_FOUND" }))).toBe("the server's sentence");
    expect(say(view({ code: "TOO_MANY_REQUESTS" }))).toBe(en.TOO_MANY_REQUESTS);
  });
});

describe("applyFieldErrors", () => {
  it("places only the errors of fields the form has, and says whether any was placed", async () => {
    const { error } = await refusedFirstName("place@example.com", "198.51.100.4");
    const setError = vi.fn();
    expect(applyFieldErrors(error, setError, ["passengers.0.firstName"] as never)).toBe(true);
    expect(setError).toHaveBeenCalledExactlyOnceWith("passengers.0.firstName", {
      type: "server",
      message: "Use only letters, spaces, hyphens and apostrophes in the first name.",
    });
    const other = vi.fn();
    expect(applyFieldErrors(error, other, ["contact.email"] as never)).toBe(false);
    expect(other).not.toHaveBeenCalled();
  });
});
