import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkins } from "@/server/db/schema/bookings";
import { sailings } from "@/server/db/schema/sailings";
import { seedDatabase } from "@/server/seed/seed";
import { loadBooking } from "@/server/db/queries/booking";
import { ticketEntries } from "@/server/features/tickets/tickets";
import { createTestDb, type TestDb } from "../helpers/db";
import { createBooking, pickSailings } from "../helpers/email-fixtures";
import { testServices, useAsAppServices } from "../helpers/services";
import type { Services } from "@/server/services";

/**
 * `POST /api/checkin` and the sign-in's 429 through the real route handlers, as a browser or a port
 * scanner reaches them. The handlers use the process-wide database handle, pointed at this file's database.
 */

const APP = "http://localhost:3000";
let t: TestDb;
let svc: Services;
let restoreAppServices: () => void;
let checkinPOST: (req: Request) => Promise<Response>;
let trpcPOST: (req: Request) => Promise<Response>;
let helpers: typeof import("./admin-helpers");
let session: typeof import("@/server/features/auth/session");
let boarding: number;
let later: number;

beforeAll(async () => {
  t = await createTestDb();
  svc = testServices({ db: t.db });
  restoreAppServices = useAsAppServices(svc);
  ({ POST: checkinPOST } = await import("@/app/api/checkin/route"));
  ({ POST: trpcPOST } = await import("@/app/api/trpc/[trpc]/route"));
  helpers = await import("./admin-helpers");
  session = await import("@/server/features/auth/session");
  await seedDatabase(t.db, { days: 10, devAdmin: null });
  const pair = await pickSailings(t.db, new Date(Date.now() + 2 * 86_400_000));
  // One sailing leaves in an hour (boarding open now); the other days later.
  boarding = pair.outbound;
  later = pair.inbound;
  await t.db
    .update(sailings)
    .set({
      departureAt: sql`now() + interval '1 hour'`,
      arrivalAt: sql`now() + interval '22 hours'`,
    })
    .where(eq(sailings.id, boarding));
});
afterAll(async () => {
  restoreAppServices();
  await t.destroy();
});

async function staffToken(role: "admin" | "checkin") {
  const staff = await helpers.makeAdmin(svc, role, role);
  return (await session.createAdminSession(t.db, staff.id, new Date())).token;
}

function scanRequest(body: unknown, headers: Record<string, string> = {}, token?: string) {
  return new Request(`${APP}/api/checkin`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: {
      host: "localhost:3000",
      origin: APP,
      "content-type": "application/json",
      ...(token ? { cookie: `${session.sessionCookieName()}=${token}` } : {}),
      ...headers,
    },
  });
}

async function ticketFor(sailingId: number): Promise<string> {
  const b = await createBooking(t.db, { outboundSailingId: sailingId });
  return ticketEntries((await loadBooking(t.db, { id: b.id }, "document"))!)[0]!.code;
}

async function checkinCount(): Promise<number> {
  const [r] = await t.db.select({ n: sql<number>`count(*)::int` }).from(checkins);
  return r!.n;
}

describe("POST /api/checkin", () => {
  it("boards a passenger for check-in staff and for admins", async () => {
    for (const role of ["checkin", "admin"] as const) {
      const res = await checkinPOST(
        scanRequest({ code: await ticketFor(boarding), sailingId: boarding }, {}, await staffToken(role)),
      );
      expect(res.status, role).toBe(200);
      expect(await res.json()).toMatchObject({ result: "valid", leg: { sailingId: boarding } });
    }
  });

  it("refuses without a session, with an idle session, with the same words as the tRPC guard", async () => {
    const code = await ticketFor(boarding);
    const before = await checkinCount();
    const none = await checkinPOST(scanRequest({ code, sailingId: boarding }));
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: "Please sign in to the admin area.",
      reason: "SIGN_IN_REQUIRED",
    });
    const token = await staffToken("checkin");
    await t.db.execute(
      sql`update admin_sessions set last_seen_at = now() - interval '2 hours' where token_hash = ${session.hashToken(token)}`,
    );
    const idle = await checkinPOST(scanRequest({ code, sailingId: boarding }, {}, token));
    expect(idle.status).toBe(401);
    expect(await checkinCount()).toBe(before);
  });

  it.each([
    ["another website's Origin", { origin: "https://evil.example" }],
    ["a cross-site fetch", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["a form post", { "content-type": "application/x-www-form-urlencoded" }],
    ["text/plain", { "content-type": "text/plain" }],
  ])("refuses %s with 403 even with a staff cookie, boarding nobody", async (_label, headers) => {
    const code = await ticketFor(boarding);
    const before = await checkinCount();
    const res = await checkinPOST(
      scanRequest({ code, sailingId: boarding }, headers, await staffToken("checkin")),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      reason: "CROSS_SITE_REQUEST",
      error: expect.stringMatching(/refused/),
    });
    expect(await checkinCount()).toBe(before);
  });

  it("refuses a valid ticket for another sailing, and one whose sailing is not boarding yet", async () => {
    const token = await staffToken("checkin");
    const laterTicket = await ticketFor(later);
    const wrong = await checkinPOST(scanRequest({ code: laterTicket, sailingId: boarding }, {}, token));
    expect(await wrong.json()).toMatchObject({
      result: "invalid",
      reason: "wrong_sailing",
      leg: { sailingId: later },
    });
    const early = await checkinPOST(scanRequest({ code: laterTicket, sailingId: later }, {}, token));
    expect(await early.json()).toMatchObject({ result: "invalid", reason: "boarding_not_open" });
  });

  it("explains bad input with 400", async () => {
    const token = await staffToken("checkin");
    const noSailing = await checkinPOST(scanRequest({ code: "TRV1.x.y" }, {}, token));
    expect(noSailing.status).toBe(400);
    expect((await noSailing.json()).error).toMatch(/sailingId.*sailing being boarded/);
    const notJson = await checkinPOST(scanRequest("{code:", {}, token));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/Send JSON/);
  });
});

describe("POST /api/trpc/admin.auth.login when throttled", () => {
  it("answers 429 with retry-after and the wait in words", async () => {
    const admin = await helpers.makeAdmin(svc, "http");
    const attempt = () =>
      trpcPOST(
        new Request(`${APP}/api/trpc/admin.auth.login`, {
          method: "POST",
          headers: {
            host: "localhost:3000",
            origin: APP,
            "content-type": "application/json",
            "x-forwarded-for": "198.18.0.9",
          },
          body: JSON.stringify({ json: { email: admin.email, password: "not the password" } }),
        }),
      );
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const res = await attempt();
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    const body = (await res.json()) as {
      error: { json: { message: string; data: { details: { reason: string } } } };
    };
    expect(body.error.json.message).toMatch(
      /^Too many failed sign-ins for this account from here\. Try again in \d seconds?\.$/,
    );
    expect(body.error.json.data.details.reason).toBe("LOGIN_THROTTLED");
  });
});
