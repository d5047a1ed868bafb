import { createTRPCClient } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "@/server/api/root";
import { oneAdultBooking, type RouteStack, startRouteStack, sailingInTwoDays } from "../helpers/route-stack";
import { answer, ORIGIN, trpcGet, trpcPost } from "../support/trpc-http";

/**
 * Lookups carry an email address, so it must never travel in a URL (access logs, proxies, browser
 * history): the server refuses `booking.get` / `booking.refundPreview` over GET and answers them as POST
 * bodies, the app's own client sends every query that way, and server-side callers are unaffected.
 */
let s: RouteStack;
let booking: { reference: string; email: string };

beforeAll(async () => {
  s = await startRouteStack({ TRUSTED_PROXY_HOPS: "1" });
  const sailingId = await sailingInTwoDays(s, "TUN", "MRS");
  const email = "lookup@example.com";
  const created = await answer<{ reference: string }>(
    await s.POST(
      trpcPost("booking.create", oneAdultBooking(sailingId, email), { "x-forwarded-for": "192.0.2.1" }),
    ),
  );
  expect(created.status).toBe(200);
  booking = { reference: created.data!.reference, email };
}, 60_000);
afterAll(() => s?.close());

let n = 0;
const client = () => ({ "x-forwarded-for": `198.51.100.${++n}` });

describe("lookups over HTTP", () => {
  it.each(["booking.get", "booking.refundPreview"])(
    "%s over GET is refused with a message that says to POST",
    async (path) => {
      const a = await answer(await s.GET(trpcGet(path, booking, client())));
      expect(a.status).toBe(405);
      expect(a.error?.data.code).toBe("METHOD_NOT_SUPPORTED");
      expect(a.error?.message).toBe(
        `${path} takes an email address, which must never appear in a URL: send it as a POST with the input in the JSON body (tRPC clients: methodOverride "POST").`,
      );
      expect(a.raw).not.toContain(booking.reference);
    },
  );

  it("refuses the lookup inside a GET batch too, while the rest of the batch is answered", async () => {
    const input = encodeURIComponent(JSON.stringify({ 1: { json: booking } }));
    const res = await s.GET(
      new Request(`${ORIGIN}/api/trpc/search.ports,booking.get?batch=1&input=${input}`),
    );
    const body = (await res.json()) as [
      { result?: unknown },
      { error?: { json: { data: { httpStatus: number } } } },
    ];
    expect(body[0].result).toBeDefined();
    expect(body[1].error?.json.data.httpStatus).toBe(405);
  });

  it.each([
    ["booking.get", (d: { reference?: string }) => expect(d.reference).toBe(booking.reference)],
    [
      "booking.refundPreview",
      (d: { cancellable?: boolean; policy?: string }) => {
        // Unpaid, so cancellable for nothing: what matters is that the preview itself came back.
        expect(d.cancellable).toBe(true);
        expect(d.policy).toBeTruthy();
      },
    ],
  ] as const)("%s as a POST body is answered", async (path, check) => {
    const a = await answer<Record<string, unknown>>(await s.POST(trpcPost(path, booking, client())));
    expect(a.status, a.raw).toBe(200);
    check(a.data as never);
  });

  it("keeps the same-origin JSON rule for these POSTs", async () => {
    const form = new Request(`${ORIGIN}/api/trpc/booking.get`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: ORIGIN },
      body: JSON.stringify({ json: booking }),
    });
    expect((await s.POST(form)).status).toBe(403);
    const crossSite = trpcPost("booking.get", booking, { origin: "https://evil.example" });
    expect((await s.POST(crossSite)).status).toBe(403);
  });
});

describe("the app's tRPC client", () => {
  it("sends queries as POSTs, splits big batches below the server's cap, and gets answers", async () => {
    const seen: { method: string; calls: number; url: string }[] = [];
    const trpc = createTRPCClient<AppRouter>({
      links: [
        s.app.links.appLink({
          url: `${ORIGIN}/api/trpc`,
          fetch: async (url, init) => {
            const req = new Request(url, init);
            const path = new URL(req.url).pathname.replace(/^\/api\/trpc\//, "");
            seen.push({ method: req.method, calls: path.split(",").length, url: req.url });
            return req.method === "GET" ? s.GET(req) : s.POST(req);
          },
        }),
      ],
    });
    const view = await trpc.booking.get.query(booking);
    expect(view.reference).toBe(booking.reference);
    const ports = await Promise.all(Array.from({ length: 25 }, () => trpc.search.ports.query()));
    expect(ports.every((p) => p.length > 3)).toBe(true);
    expect(seen.every((r) => r.method === "POST")).toBe(true);
    expect(seen.every((r) => !r.url.includes("example.com") && !r.url.includes("%40"))).toBe(true);
    expect(Math.max(...seen.map((r) => r.calls))).toBeLessThanOrEqual(10);
    expect(seen.length).toBeGreaterThanOrEqual(1 + 3);
  });

  it("server-side callers (React Server Components) still read lookups", async () => {
    const caller = s.app.root.createCaller(
      s.app.context.createContext({ svc: s.app.services.appServices(), headers: new Headers() }),
    );
    expect((await caller.booking.get(booking)).reference).toBe(booking.reference);
    expect((await caller.booking.refundPreview(booking)).cancellable).toBe(true);
  });
});
