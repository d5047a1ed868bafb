import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowCounts } from "../fuzz/hostile";
import {
  oneAdultBooking,
  type RouteStack,
  startRouteStack,
  WEBHOOK_SECRET,
  sailingInTwoDays,
} from "../helpers/route-stack";
import { answer, ORIGIN, trpcPost } from "../support/trpc-http";

/**
 * Fair use over HTTP, through the real `/api/trpc` and webhook route handlers behind one trusted proxy
 * (TRUSTED_PROXY_HOPS=1): a hoarding script that rotates the X-Forwarded-For entry it controls, the 429
 * with retry-after in the traveller's language, the batch cap and the body caps. Limits are the defaults.
 */
let s: RouteStack;
let sailingId: number;

beforeAll(async () => {
  s = await startRouteStack({ TRUSTED_PROXY_HOPS: "1" });
  sailingId = await sailingInTwoDays(s, "TUN", "TPS");
}, 60_000);
afterAll(() => s?.close());

const heldPlaces = async () =>
  (
    await s.t.sql<{ held: number }[]>`
      select held from inventory where sailing_id = ${sailingId} and resource = 'PASSENGER'`
  )[0]!.held;

let spoof = 0;
/** What a script can write: any left part it likes. The proxy appends the real address on the right. */
const viaProxy = (client: string) => ({
  "x-forwarded-for": `10.66.${spoof++ % 250}.${spoof % 250}, ${client}`,
});

describe("a hoarding script behind a proxy", () => {
  it("is stopped after 10 creates whatever it writes in X-Forwarded-For; another client still books", async () => {
    expect(s.app.services.appServices().limits).toEqual({
      createsPerClient: 10,
      unpaidPerEmail: 3,
      heldPlacesPerClient: 20,
    });
    const before = await heldPlaces();
    const answers = [];
    for (let i = 0; i < 25; i++) {
      const req = trpcPost(
        "booking.create",
        oneAdultBooking(sailingId, `script${i}@example.com`),
        viaProxy("203.0.113.7"),
      );
      answers.push(await answer(await s.POST(req)));
    }
    expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.slice(10).map((a) => a.status)).toEqual(Array(15).fill(429));
    expect(await heldPlaces()).toBe(before + 10);
    const refused = answers[10]!;
    expect(refused.error?.data.details).toMatchObject({ reason: "RATE_LIMITED", limit: "BOOKINGS", max: 10 });
    const retryAfter = refused.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(1200);
    expect(refused.error?.data.details?.retryAfterSeconds).toBe(Number(retryAfter));

    const other = await answer(
      await s.POST(
        trpcPost(
          "booking.create",
          oneAdultBooking(sailingId, "family@example.com"),
          viaProxy("198.51.100.9"),
        ),
      ),
    );
    expect(other.status).toBe(200);
    expect(await heldPlaces()).toBe(before + 11);
  });

  it("answers the refusal in French when the booking is in French", async () => {
    const a = await answer(
      await s.POST(
        trpcPost(
          "booking.create",
          oneAdultBooking(sailingId, "fr@example.com", "fr"),
          viaProxy("203.0.113.7"),
        ),
      ),
    );
    expect(a.status).toBe(429);
    const minutes = Math.ceil(Number(a.headers.get("retry-after")) / 60);
    expect(a.error?.message).toBe(
      `Trop de réservations ont été commencées depuis votre connexion en peu de temps. Rien n'a été bloqué ni débité. Réessayez dans ${minutes} minutes.`,
    );
  });

  it("answers a lookup flood in Arabic when the browser asks for Arabic", async () => {
    const headers = { ...viaProxy("198.51.100.77"), "accept-language": "ar-TN,ar;q=0.9,fr;q=0.5" };
    const lookup = () =>
      s.POST(trpcPost("booking.get", { reference: "TRV-AAAAAAAA", email: "x@example.com" }, headers));
    for (let i = 0; i < 30; i++) expect((await lookup()).status).toBe(404);
    const a = await answer(await lookup());
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(a.error?.data.details).toMatchObject({ reason: "RATE_LIMITED", limit: "ATTEMPTS" });
    expect(a.error?.message).toMatch(/^محاولات كثيرة من اتصالك\. أعد المحاولة بعد /);
  });
});

describe("batches", () => {
  const batch = (n: number) => `${ORIGIN}/api/trpc/${Array(n).fill("search.ports").join(",")}?batch=1`;

  it("refuses a 50-call batch with a readable 400, one error per call", async () => {
    const res = await s.GET(new Request(`${batch(50)}&input=${encodeURIComponent("{}")}`));
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { json: { message: string; data: { details: { reason: string } } } };
    }[];
    expect(body).toHaveLength(50);
    expect(body[0]!.error.json.message).toBe(
      "A batch may hold at most 10 calls; this one has 50. Send them in smaller batches.",
    );
    expect(body[0]!.error.json.data.details.reason).toBe("BATCH_TOO_LARGE");
    // The same over POST (method override).
    const post = await s.POST(
      new Request(batch(11), {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: "{}",
      }),
    );
    expect(post.status).toBe(400);
  });

  it("sends the refusal through tRPC: its reason on `data`, one per call, and kept by no cache", async () => {
    const res = await s.GET(new Request(`${batch(11)}&input=${encodeURIComponent("{}")}`));
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { error: { json: { data: { reason: string; code: string } } } }[];
    expect(body).toHaveLength(11);
    for (const e of body)
      expect(e.error.json.data).toMatchObject({ reason: "BATCH_TOO_LARGE", code: "BAD_REQUEST" });
    const ok = await s.GET(new Request(`${batch(2)}&input=${encodeURIComponent("{}")}`));
    expect(ok.headers.get("cache-control")).not.toBe("no-store");
  });

  it("answers a 10-call batch", async () => {
    const res = await s.GET(new Request(`${batch(10)}&input=${encodeURIComponent("{}")}`));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: unknown[] } } }[];
    expect(body).toHaveLength(10);
    for (const r of body) expect(r.result.data.json.length).toBeGreaterThan(3);
  });
});

describe("body size caps", () => {
  const tooBig = "x".repeat(70 * 1024);

  it("refuses an oversize tRPC body with 413 and writes nothing", async () => {
    const before = await rowCounts(s.t.sql);
    const input = { ...oneAdultBooking(sailingId, "big@example.com"), padding: tooBig };
    const a = await answer(await s.POST(trpcPost("booking.create", input, viaProxy("192.0.2.200"))));
    expect(a.status).toBe(413);
    expect(a.error?.message).toBe("The request is too large: at most 64 KiB are accepted.");
    expect(a.error?.data.details?.reason).toBe("BODY_TOO_LARGE");
    expect(await rowCounts(s.t.sql)).toEqual(before);
    // Just under the cap is read and handled normally (here: refused by the input schema, not by size).
    const fits = await s.POST(trpcPost("booking.create", { padding: "x".repeat(60 * 1024) }));
    expect(fits.status).toBe(400);
  });

  it("refuses on a declared Content-Length without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (c) => {
          pulled++;
          c.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    const req = new Request(`${ORIGIN}/api/trpc/booking.create`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ORIGIN,
        "content-length": String(50 * 1024 * 1024),
      },
      body,
      duplex: "half",
    } as RequestInit);
    expect((await s.POST(req)).status).toBe(413);
    expect(pulled).toBe(0);
  });

  it("stops reading an endless body without Content-Length just past the cap", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (c) => {
          sent += 16 * 1024;
          c.enqueue(new Uint8Array(16 * 1024).fill(32));
        },
      },
      { highWaterMark: 0 },
    );
    const req = new Request(`${ORIGIN}/api/trpc/booking.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body,
      duplex: "half",
    } as RequestInit);
    expect((await s.POST(req)).status).toBe(413);
    expect(sent).toBeLessThanOrEqual(64 * 1024 + 2 * 16 * 1024);
  });

  it("refuses an oversize Stripe webhook with 413 and records no event", async () => {
    const count = async () =>
      (await s.t.db.execute<{ n: number }>(sql`select count(*)::int as n from stripe_events`))[0]!.n;
    const before = await count();
    const payload = JSON.stringify({
      id: "evt_big",
      object: "event",
      type: "charge.refunded",
      data: { object: { pad: "y".repeat(600 * 1024) } },
    });
    const signature = new Stripe("sk_test_x").webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
    });
    const res = await s.WEBHOOK(
      new Request(`${ORIGIN}/api/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      }),
    );
    expect(res.status).toBe(413);
    expect(await count()).toBe(before);
  });
});
