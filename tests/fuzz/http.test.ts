import fc from "fast-check";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../emulators/stripe/server";
import { appRouter } from "@/server/api/root";
import { seedDatabase } from "@/server/seed/seed";
import { createTestCache, TEST_UPSTASH_TOKEN, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { ORIGIN, readTrpc as answer, trpcRequest as buildRequest } from "../support/trpc-http";
import {
  hostileString,
  hostileValue,
  inputsFor,
  monsterValue,
  nextIp,
  type RowCounts,
  rowCounts,
  unreadableReason,
} from "./hostile";
import { validInputs } from "./samples";

/**
 * Hostile inputs over HTTP: the real route handlers (`/api/trpc/[trpc]` GET and POST, and
 * `POST /api/webhooks/stripe`) called with `Request` objects, no server needed. The handlers find the
 * database the way production does, through DATABASE_URL: the variables are stubbed before the route
 * modules are (re)loaded, so `src/env.ts` parses them like it would at start-up.
 *
 * Every answer must be below 500, have a JSON body with a readable message, and a rejected request must
 * leave the booking tables, inventory and stripe_events as they were.
 */
const SECRET = "whsec_fuzz_http_secret";
const RUNS = 100;

type Handler = (req: Request) => Promise<Response>;

let t: TestDb;
let tc: TestCache;
let stripeEmu: StripeEmulator;
let GET: Handler;
let POST: Handler;
let WEBHOOK: Handler;
let closeAppDb: () => Promise<void>;
let valid: Record<string, unknown>;
const signer = new Stripe("sk_test_signing_only");

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; meta?: { sensitiveInput?: boolean } } }
  >,
)
  .filter(([path]) => !path.startsWith("admin.") || path === "admin.auth.login")
  // Queries whose input carries an email are only answered as POST bodies (the app's client sends them so).
  .map(([path, p]) => ({ path, type: p._def.meta?.sensitiveInput ? "post-query" : p._def.type }));

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { devAdmin: null, days: 10 });
  valid = await validInputs(t.sql);
  stripeEmu = await startStripeEmulator({ port: 0, webhookSecret: SECRET });
  vi.stubEnv("DATABASE_URL", t.url);
  vi.stubEnv("APP_URL", ORIGIN);
  vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_fuzz_http");
  vi.stubEnv("STRIPE_API_BASE", stripeEmu.url);
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", SECRET);
  // Behind one proxy, so each call's fresh X-Forwarded-For (nextIp) is its own client for the rate limits.
  vi.stubEnv("TRUSTED_PROXY_HOPS", "1");
  // The app's own cache (built by createServices from UPSTASH_*) on a private emulator, as in production.
  tc = await createTestCache();
  vi.stubEnv("UPSTASH_REDIS_REST_URL", tc.emulator.url);
  vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", TEST_UPSTASH_TOKEN);
  vi.resetModules();
  const trpcRoute = await import("@/app/api/trpc/[trpc]/route");
  const webhookRoute = await import("@/app/api/webhooks/stripe/route");
  const services = await import("@/server/app-services");
  GET = trpcRoute.GET;
  POST = trpcRoute.POST;
  WEBHOOK = webhookRoute.POST;
  closeAppDb = () => services.closeAppServices();
}, 60_000);

afterAll(async () => {
  await closeAppDb?.();
  vi.unstubAllEnvs();
  await stripeEmu?.close();
  await tc?.close();
  await t?.destroy();
});

async function checkRejectedOrOk(
  label: string,
  send: () => Promise<Response>,
  before: { counts: RowCounts },
) {
  const a = await answer(await send());
  const after = await rowCounts(t.sql);
  expect(a.status, `${label}: ${a.status} ${a.raw.slice(0, 300)}`).toBeLessThan(500);
  if (a.status < 300) {
    before.counts = after;
    return a;
  }
  expect(a.messages.length, `${label}: an error without a message: ${a.raw.slice(0, 300)}`).toBeGreaterThan(
    0,
  );
  for (const m of a.messages) expect(unreadableReason(m), `${label}: ${String(m).slice(0, 300)}`).toBeNull();
  expect(after, `${label} wrote something before rejecting the request`).toEqual(before.counts);
  return a;
}

/** The input goes as plain `{"json": …}` (no superjson metadata), or as the raw text given, unchecked. */
function trpcRequest(path: string, type: string, input: unknown, rawBody?: string): Request {
  return buildRequest(path, input, {
    method: type === "query" ? "GET" : "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": nextIp() },
    raw: rawBody ?? JSON.stringify({ json: input }),
  });
}

/** Not JSON, JSON of the wrong envelope, and superjson metadata that lies about the types. */
const RAW_BODIES = [
  "",
  "{",
  "null",
  "[]",
  '{"json":',
  '{"0":{"json":{}}}',
  '{"json":"x","meta":{"values":["bigint"]}}',
  '{"json":"x","meta":{"values":["Date"]}}',
  '{"json":{"a":1},"meta":{"values":{"a":[["custom","nope"]]}}}',
  '{"json":{},"meta":{"referentialEqualities":{"__proto__":["polluted"]}}}',
  '{"json":{"a":"b"},"meta":{"values":{"__proto__.polluted":["undefined"]}}}',
  '{"json":[1],"meta":{"values":{"0":["set"]}}}',
  '{"json":{"a":1},"meta":{"values":{"a":["map"]}}}',
  '{"json":"(","meta":{"values":["regexp"]}}',
  '{"json":"x","meta":{"values":["error"]}}',
  `{"json":"${"a".repeat(1_000_000)}"}`,
];

describe("fuzzing /api/trpc over HTTP", () => {
  it.each(procedures)(
    "$path ($type): never 5xx, always a readable error, no partial write",
    async ({ path, type }) => {
      const before = { counts: await rowCounts(t.sql) };
      const send = (input: unknown, raw?: string) => () =>
        type === "query"
          ? GET(trpcRequest(path, type, input, raw))
          : POST(trpcRequest(path, type, input, raw));
      await fc.assert(
        fc.asyncProperty(inputsFor(valid[path]), async (input) => {
          await checkRejectedOrOk(`${path} ${JSON.stringify(input)?.slice(0, 120)}`, send(input), before);
        }),
        { numRuns: path === "admin.auth.login" ? 25 : RUNS, seed: 8, endOnFailure: true },
      );
      // Every raw body on every procedure (they are few), softly, so one run lists every offender.
      for (const raw of [...RAW_BODIES, ...fc.sample(hostileString, { numRuns: 10, seed: 8 })]) {
        const a = await answer(await send(undefined, raw)());
        const label = `${path} raw ${raw.slice(0, 80)}`;
        expect.soft(a.status, `${label}: ${a.raw.slice(0, 200)}`).toBeLessThan(500);
        if (a.status >= 400)
          for (const m of a.messages)
            expect.soft(unreadableReason(m), `${label}: ${String(m).slice(0, 200)}`).toBeNull();
        expect.soft(await rowCounts(t.sql), `${label} wrote something`).toEqual(before.counts);
      }
    },
    60_000,
  );

  it("refuses unknown paths, wrong methods, cross-site posts and hostile batches with a readable 4xx", async () => {
    const before = { counts: await rowCounts(t.sql) };
    const cases: [string, () => Promise<Response>][] = [
      ["unknown procedure", () => GET(new Request(`${ORIGIN}/api/trpc/nope.nothing`))],
      ["prototype path", () => GET(new Request(`${ORIGIN}/api/trpc/__proto__.constructor`))],
      // Queries may be POSTed (method override, how the app keeps emails out of URLs), but a lookup
      // carrying an email is never answered over GET.
      ["lookup sent as GET", () => GET(trpcRequest("booking.get", "query", valid["booking.get"]))],
      ["mutation sent as GET", () => GET(trpcRequest("booking.create", "query", valid["booking.create"]))],
      [
        "cross-site form post",
        () =>
          POST(
            new Request(`${ORIGIN}/api/trpc/booking.create`, {
              method: "POST",
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                origin: "https://evil.example",
              },
              body: "json=1",
            }),
          ),
      ],
      [
        "batch of 500 procedures",
        () =>
          GET(
            new Request(`${ORIGIN}/api/trpc/${Array(500).fill("search.ports").join(",")}?batch=1&input={}`),
          ),
      ],
      [
        "batch with garbage inputs",
        () =>
          GET(
            new Request(
              `${ORIGIN}/api/trpc/search.sailings,search.calendar?batch=1&input=${encodeURIComponent('{"0":{"json":1},"1":"x"}')}`,
            ),
          ),
      ],
      [
        "batch mutation with a mixed body",
        () =>
          POST(
            new Request(`${ORIGIN}/api/trpc/booking.create,booking.cancel?batch=1`, {
              method: "POST",
              headers: { "content-type": "application/json", origin: ORIGIN },
              body: '{"0":{"json":{"outbound":"x"}},"1":[]}',
            }),
          ),
      ],
    ];
    for (const [label, send] of cases) {
      const a = await checkRejectedOrOk(label, send, before);
      if (label !== "batch of 500 procedures") expect(a.status, label).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("fuzzing POST /api/webhooks/stripe", () => {
  const webhook = (body: string, signature: string | null) =>
    WEBHOOK(
      new Request(`${ORIGIN}/api/webhooks/stripe`, {
        method: "POST",
        headers:
          signature === null
            ? { "content-type": "application/json" }
            : { "content-type": "application/json", "stripe-signature": signature },
        body,
      }),
    );
  const sign = (payload: string, timestamp?: number) =>
    signer.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp });

  it("rejects unsigned, forged, stale and garbage deliveries with a 400 and stores nothing", async () => {
    const before = { counts: await rowCounts(t.sql) };
    const event = (id: string) =>
      JSON.stringify({
        id,
        object: "event",
        type: "checkout.session.completed",
        data: { object: { id: "cs_x" } },
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          hostileValue.map((v) => JSON.stringify(v) ?? "null"),
          fc.constant(event("evt_fuzz")),
        ),
        fc.oneof(
          fc.constant(null),
          // A header value can only carry Latin-1: anything else never reaches the server.
          hostileString.map((v) => v.replace(/[^\x20-\xff]/g, "?")),
          fc.constantFrom(
            "t=1,v1=00",
            `t=${Math.floor(Date.now() / 1000)},v1=${"a".repeat(64)}`,
            "v1=,t=",
            "t=,,,,,",
          ),
          fc.constant("stale"),
          fc.constant("wrong-secret"),
        ),
        async (body, sig) => {
          const signature =
            sig === "stale"
              ? sign(body, Math.floor(Date.now() / 1000) - 600)
              : sig === "wrong-secret"
                ? signer.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_someone_else" })
                : sig;
          const a = await checkRejectedOrOk(
            `webhook ${body.slice(0, 80)} / ${String(signature).slice(0, 40)}`,
            () => webhook(body, signature),
            before,
          );
          expect(a.status).toBe(400);
        },
      ),
      { numRuns: 150, seed: 8, endOnFailure: true },
    );
  });

  it("answers correctly signed but malformed or oversized events without a 5xx", async () => {
    const before = { counts: await rowCounts(t.sql) };
    const shapes = fc.oneof(
      hostileValue,
      monsterValue,
      fc.record({ id: hostileValue, type: hostileValue, data: hostileValue }),
      fc.record({
        id: hostileString,
        object: fc.constant("event"),
        type: fc.constant("checkout.session.completed"),
        data: hostileValue,
      }),
    );
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        const payload = JSON.stringify(shape) ?? "null";
        await checkRejectedOrOk(
          `signed ${payload.slice(0, 120)}`,
          () => webhook(payload, sign(payload)),
          before,
        );
      }),
      { numRuns: 100, seed: 8, endOnFailure: true },
    );
  });
});
