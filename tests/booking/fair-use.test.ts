import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createBooking } from "@/server/features/booking/create";
import type { CreateBookingInput } from "@/server/features/booking/input";
import { emailLockKey } from "@/server/features/booking/limits";
import { normaliseAddress } from "@/server/features/security/client-address";
import { AppError } from "@/server/lib/errors";
import type { BookingLimits } from "@/server/services";
import { adult, bookingInput, inventoryOf, nextSailing, bookingStackForFile } from "../helpers/booking-stack";
import { svcAt, withOverrides } from "../helpers/services";

/**
 * Fair use of inventory inside `createBooking` (src/server/features/booking/limits.ts): unpaid bookings
 * per contact email, unpaid places per client per sailing, creates per client. The HTTP side (client
 * address, 429 + retry-after, languages) is in tests/security/fair-use-http.test.ts.
 */
const s = bookingStackForFile();

const roomy: BookingLimits = { createsPerClient: 1000, unpaidPerEmail: 1000, heldPlacesPerClient: 1000 };

function party(n: number, from = 1): CreateBookingInput["passengers"] {
  return Array.from({ length: n }, (_, i) => adult(from + i));
}

function limitOf(r: PromiseSettledResult<unknown>): string | null {
  if (r.status !== "rejected" || !(r.reason instanceof AppError)) return null;
  if (r.reason.code !== "TOO_MANY_REQUESTS" || r.reason.details?.reason !== "RATE_LIMITED") return null;
  return String(r.reason.details.limit);
}

async function unpaidFor(email: string): Promise<number> {
  const [r] = await s.t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from bookings where contact_email = ${email} and status = 'PENDING_PAYMENT'`,
  );
  return r!.n;
}

describe("unpaid bookings per contact email", () => {
  it("allows 3, refuses the 4th with a typed 429 that holds nothing, and counts only live holds", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 4);
    const email = "family-cap@example.com";
    const svc = withOverrides(s.svc, { limits: { ...roomy, unpaidPerEmail: 3 } });
    for (let i = 0; i < 3; i++) {
      await createBooking(svc, bookingInput(sailing.id, { contact: { email } }));
    }
    const held = (await inventoryOf(s.t, sailing.id, "PASSENGER")).held;
    const error = await createBooking(svc, bookingInput(sailing.id, { contact: { email } })).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.details).toMatchObject({ reason: "RATE_LIMITED", limit: "UNPAID", max: 3 });
    // The first hold ends in HOLD_MINUTES (30): that is when a fourth booking becomes possible.
    expect(error.details.retryAfterSeconds).toBeGreaterThan(25 * 60);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(30 * 60);
    expect(error.message).toMatch(/already has 3 bookings waiting for payment/);
    expect(await unpaidFor(email)).toBe(3);
    expect((await inventoryOf(s.t, sailing.id, "PASSENGER")).held).toBe(held);

    // Another email is not affected.
    await createBooking(svc, bookingInput(sailing.id, { contact: { email: "other-cap@example.com" } }));
    // Once those holds have ended (the expiry job may not have run yet), the email may book again.
    const later = svcAt(svc, () => new Date(Date.now() + 31 * 60_000));
    await createBooking(later, bookingInput(sailing.id, { contact: { email } }));
  });

  it("a burst of 20 parallel creates for one email: exactly 3 succeed", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 4);
    const email = "burst@example.com";
    const svc = withOverrides(s.svc, { limits: { ...roomy, unpaidPerEmail: 3 } });
    const before = (await inventoryOf(s.t, sailing.id, "PASSENGER")).held;
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        createBooking(svc, bookingInput(sailing.id, { passengers: [adult(i)], contact: { email } })),
      ),
    );
    expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(settled.map(limitOf).filter((l) => l === "UNPAID")).toHaveLength(17);
    expect(await unpaidFor(email)).toBe(3);
    expect((await inventoryOf(s.t, sailing.id, "PASSENGER")).held).toBe(before + 3);
  });

  it("two creates forced to wait on the same email lock: the second sees the first's booking", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 5);
    const email = "interleave@example.com";
    const svc = withOverrides(s.svc, { limits: { ...roomy, unpaidPerEmail: 3 } });
    for (let i = 0; i < 2; i++) await createBooking(svc, bookingInput(sailing.id, { contact: { email } }));

    // Another connection holds the email's lock, so both creates get as far as it and queue there.
    const blocker = postgres(s.t.url, { max: 1, onnotice: () => {} });
    const reserved = await blocker.reserve();
    try {
      await reserved`begin`;
      await reserved`select pg_advisory_xact_lock(${emailLockKey(email)}::bigint)`;
      const a = createBooking(svc, bookingInput(sailing.id, { contact: { email } }));
      const b = createBooking(svc, bookingInput(sailing.id, { contact: { email } }));
      a.catch(() => {});
      b.catch(() => {});
      await waitForLockWaiters(2);
      // Both are now past every check that runs before the lock, with 2 unpaid bookings on record.
      expect(await unpaidFor(email)).toBe(2);
      await reserved`commit`;
      const settled = await Promise.allSettled([a, b]);
      expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(settled.map(limitOf).filter((l) => l === "UNPAID")).toHaveLength(1);
      expect(await unpaidFor(email)).toBe(3);
    } finally {
      reserved.release();
      await blocker.end();
    }
  });
});

/** Polls pg_locks until `n` sessions wait on an advisory lock; throws at the deadline. */
async function waitForLockWaiters(n: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await s.t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
          and database = (select oid from pg_database where datname = current_database())`,
    );
    if (r!.n >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${r!.n} of ${n} creates reached the email lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("unpaid places per client on one sailing", () => {
  const limits = { ...roomy, heldPlacesPerClient: 20 };

  it("caps one client at 20 unpaid places per sailing; other clients and other sailings are free", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 3);
    const other = await nextSailing(s.t, "MRS", "TUN", 3);
    const svc = withOverrides(s.svc, { limits });
    const book = (id: number, n: number, tag: string, ip = "198.51.100.20") =>
      createBooking(
        svc,
        bookingInput(id, { passengers: party(n), contact: { email: `${tag}@example.com` } }),
        { ip },
      );
    await book(sailing.id, 9, "p1");
    await book(sailing.id, 9, "p2");
    const before = (await inventoryOf(s.t, sailing.id, "PASSENGER")).held;
    const over = await book(sailing.id, 3, "p3").catch((e) => e);
    expect(over).toBeInstanceOf(AppError);
    expect(over.details).toMatchObject({ reason: "RATE_LIMITED", limit: "PLACES", max: 20 });
    expect(over.details.retryAfterSeconds).toBeGreaterThan(25 * 60);
    expect((await inventoryOf(s.t, sailing.id, "PASSENGER")).held).toBe(before);
    await book(sailing.id, 2, "p4"); // exactly 20
    expect(await book(sailing.id, 1, "p5").catch((e) => e)).toBeInstanceOf(AppError);

    await book(other.id, 9, "p6"); // another sailing
    await book(sailing.id, 9, "p7", "198.51.100.21"); // another client

    // The client is stored only as a keyed hash. Only this test's bookings: on some weekdays an earlier
    // test's "first sailing 4 days out" is this same sailing, booked without a client address.
    const rows = await s.t.db.execute<{ client_key: string | null }>(
      sql`select distinct client_key from bookings where contact_email like 'p_@example.com'`,
    );
    expect(rows.map((r) => r.client_key).every((k) => /^[0-9a-f]{32}$/.test(k ?? ""))).toBe(true);
    expect(new Set(rows.map((r) => r.client_key)).size).toBe(2);
    const [dump] = await s.t.db.execute<{ t: string }>(
      sql`select string_agg(b::text, '|') as t from bookings b`,
    );
    expect(dump!.t).not.toContain("198.51.100.2");
  });

  it("a burst of 10 parallel 5-place creates from one client: exactly 4 (20 places) succeed", async () => {
    const sailing = await nextSailing(s.t, "TUN", "MRS", 7);
    const before = (await inventoryOf(s.t, sailing.id, "PASSENGER")).held;
    const svc = withOverrides(s.svc, { limits });
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        createBooking(
          svc,
          bookingInput(sailing.id, { passengers: party(5, i * 5), contact: { email: `h${i}@example.com` } }),
          // Another address in the same /64 is the same client (as the tRPC context normalises it).
          { ip: normaliseAddress(`2001:db8:1:2::${i + 1}`) },
        ),
      ),
    );
    expect(settled.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    expect(settled.map(limitOf).filter((l) => l === "PLACES")).toHaveLength(6);
    expect((await inventoryOf(s.t, sailing.id, "PASSENGER")).held).toBe(before + 20);
  });
});

describe("creates per client", () => {
  it("refuses the 11th create in 10 minutes, counts again later, and leaves server-side callers alone", async () => {
    const sailing = await nextSailing(s.t, "TUN", "TPS", 8);
    const t0 = new Date(Math.ceil(Date.now() / 600_000) * 600_000 + 60_000);
    const at = (ms: number) => () => new Date(t0.getTime() + ms);
    const svc = withOverrides(s.svc, { limits: { ...roomy, createsPerClient: 10 } });
    const client = { ip: "192.0.2.44" };
    const input = (i: number) => bookingInput(sailing.id, { contact: { email: `rate${i}@example.com` } });
    for (let i = 0; i < 10; i++) await createBooking(svcAt(svc, at(0)), input(i), client);
    const refused = await createBooking(svcAt(svc, at(0)), input(10), client).catch((e) => e);
    expect(refused.details).toMatchObject({ reason: "RATE_LIMITED", limit: "BOOKINGS", max: 10 });
    expect(refused.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.details.retryAfterSeconds).toBeLessThanOrEqual(20 * 60);
    // Another client is not affected; neither is code that calls createBooking without an address.
    await createBooking(svcAt(svc, at(0)), input(11), { ip: "192.0.2.45" });
    await createBooking(svcAt(svc, at(0)), input(12));
    // Once the whole burst has slid out of the last 10 minutes, the client may book again.
    await createBooking(svcAt(svc, at(20 * 60_000)), input(13), client);
  });
});
