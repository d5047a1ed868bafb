import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../emulators/stripe/server";
import { appRouter, createCaller } from "@/server/api/root";
import { seedDatabase } from "@/server/seed/seed";
import { createStripe } from "@/server/features/payments/stripe-client";
import { createTestCache, type TestCache } from "../helpers/cache";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import { inputsFor, nextIp, type RowCounts, rowCounts, unreadableReason } from "./hostile";
import { validInputs } from "./samples";

/**
 * Hostile inputs in-process: every public procedure (the router's own list, so a new one is covered
 * without touching this file; `admin.*` has its own guard test, except the public `admin.auth.login`)
 * called through `createCaller` with malformed, oversized and hostile inputs. Each call must either
 * succeed or fail with a client error (never INTERNAL_SERVER_ERROR / 5xx) whose message a person can
 * read, and a rejected call must leave every booking table and the inventory exactly as they were.
 */
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([path]) => !path.startsWith("admin.") || path === "admin.auth.login")
  .map(([path, p]) => ({ path, type: p._def.type }));

const RUNS = 120;
/** Each login attempt verifies an argon2 hash on purpose (slow): fewer runs keep the suite fast. */
const RUNS_FOR: Record<string, number> = { "admin.auth.login": 30 };

let t: TestDb;
let tc: TestCache;
let stripe: StripeEmulator;
let caller: (ip: string) => ReturnType<typeof createCaller>;
let valid: Record<string, unknown>;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { devAdmin: null, days: 10 });
  stripe = await startStripeEmulator({ port: 0, webhookSecret: "whsec_fuzz" });
  const client = createStripe({ secretKey: "sk_test_fuzz", apiBase: stripe.url, maxNetworkRetries: 0 });
  // The display cache on, as in production: hostile inputs also reach cache keys and invalidations.
  tc = await createTestCache();
  const svc = testServices({ db: t.db, cache: tc.cache, stripe: client });
  caller = (ip) => createCaller({ svc, headers: new Headers({ "x-forwarded-for": ip }), ip });
  // A real booking, so lookups with near-miss inputs reach the code behind the rate limit and the query.
  const samples = await validInputs(t.sql);
  const created = (await (caller(nextIp()).booking.create as (i: unknown) => Promise<{ reference: string }>)(
    samples["booking.create"],
  )) as { reference: string };
  valid = await validInputs(t.sql, { reference: created.reference, email: "fuzz@example.com" });
}, 60_000);

afterAll(async () => {
  await tc?.close();
  await stripe?.close();
  await t?.destroy();
});

function procedureAt(c: unknown, path: string): (input?: unknown) => Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c);
  if (typeof fn !== "function") throw new Error(`no procedure at ${path}`);
  return fn as (input?: unknown) => Promise<unknown>;
}

describe("fuzzing every public procedure through createCaller", () => {
  it("enumerates the public surface (an empty walk cannot pass)", () => {
    const paths = procedures.map((p) => p.path);
    for (const p of ["search.sailings", "booking.create", "booking.get", "booking.cancel"])
      expect(paths).toContain(p);
    expect(procedures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(procedures)(
    "$path ($type) never fails with a 5xx, a partial write or an unreadable error",
    async ({ path }) => {
      let before: RowCounts = await rowCounts(t.sql);
      const seen = { ok: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(inputsFor(valid[path]), async (input) => {
          let error: unknown = null;
          try {
            await procedureAt(caller(nextIp()), path)(input);
          } catch (e) {
            error = e;
          }
          const after = await rowCounts(t.sql);
          if (error === null) {
            seen.ok++;
            before = after; // an accepted input may write (a booking that happens to be valid)
            return;
          }
          seen.rejected++;
          expect(error, `${path} threw something that is not a tRPC error: ${String(error)}`).toBeInstanceOf(
            TRPCError,
          );
          const te = error as TRPCError;
          const status = getHTTPStatusCodeFromError(te);
          expect(
            status,
            `${path} answered ${status} ${te.code}: ${te.message} (cause: ${String(te.cause)})`,
          ).toBeLessThan(500);
          expect(unreadableReason(te.message), `${path}: "${te.message.slice(0, 300)}"`).toBeNull();
          expect(after, `${path} wrote something before rejecting the input`).toEqual(before);
        }),
        { numRuns: RUNS_FOR[path] ?? RUNS, seed: 8, endOnFailure: true },
      );
      // Procedures with an input schema must really have rejected something (procedures without input,
      // such as system.ping, ignore whatever they are given).
      if (valid[path] !== undefined) expect(seen.rejected).toBeGreaterThan(0);
    },
    60_000,
  );
});
