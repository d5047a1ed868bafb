import type postgres from "postgres";
import { expect } from "vitest";
import { bookableSailings, oneAdultBooking } from "../../tests/support/fixtures";
import { resendEmails, sessionIdOf } from "../../tests/support/emulators";
import { pollUntil } from "../../tests/support/poll";
import { type TrpcClient, type TrpcResult, trpcClient } from "../../tests/support/trpc-http";
import type { FaultStack } from "./stack";

/** What the fault scenarios do to a stack from outside, the way travellers and Stripe would. */

/** The app's tRPC API over HTTP, as the browser client sends it. */
export function api(stack: FaultStack): TrpcClient {
  return trpcClient(stack.appUrl);
}

/** What a request outcome keeps of an answer: the error's message, or the start of a body that is not JSON. */
export function detailOf(r: TrpcResult): string | undefined {
  return r.message ?? (r.json ? undefined : r.raw.slice(0, 500));
}

export interface Created {
  reference: string;
  email: string;
  checkoutUrl: string | null;
  sessionId: string | null;
}

/** One adult on `sailingId`, the `i`-th traveller of a scenario (`tag` keeps scenarios' emails apart). */
export function bookingInput(sailingId: number, i: number, tag: string) {
  return oneAdultBooking(sailingId, `${tag}-${i}@example.com`, {
    firstName: "Fault",
    lastName: `Traveller${String.fromCharCode(65 + (i % 26))}`,
    documentNumber: `F${100000 + i}`,
  });
}

/** Creates `count` bookings over HTTP with bounded concurrency; throws on any non-200. */
export async function createBookings(
  stack: FaultStack,
  count: number,
  tag: string,
  opts: { concurrency?: number; allowNoCheckout?: boolean } = {},
): Promise<Created[]> {
  const sailings = await bookableSailings(stack.sql);
  const client = api(stack);
  const out: Created[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const email = `${tag}-${i}@example.com`;
      const r = await client.call<{ reference: string; checkoutUrl: string | null }>(
        "booking.create",
        bookingInput(sailings[i % sailings.length] as number, i, tag),
      );
      if (r.status !== 200 || !r.data) {
        throw new Error(`booking.create #${i}: ${r.status} ${detailOf(r)}`);
      }
      if (!r.data.checkoutUrl && !opts.allowNoCheckout)
        throw new Error(`booking.create #${i}: no checkoutUrl`);
      out.push({
        reference: r.data.reference,
        email,
        checkoutUrl: r.data.checkoutUrl,
        sessionId: sessionIdOf(r.data.checkoutUrl),
      });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 5 }, lane));
  return out;
}

/**
 * How many "Booking confirmed" emails reached Resend for each reference (subject carries the reference:
 * "Booking confirmed: TRV-… · …"), and any reference that got none or several.
 */
export async function confirmationEmailCounts(
  stack: FaultStack,
  references: string[],
): Promise<{ counts: Map<string, number>; missing: string[]; duplicated: string[] }> {
  const emails = await resendEmails(stack.urls.resend);
  const counts = new Map<string, number>(references.map((r) => [r, 0]));
  for (const e of emails) {
    const m = /^Booking confirmed: (TRV-[0-9A-Z]+)/.exec(e.subject);
    if (m?.[1] && counts.has(m[1])) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return {
    counts,
    missing: [...counts].filter(([, n]) => n === 0).map(([r]) => r),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([r]) => `${r}×${counts.get(r)}`),
  };
}

/** Waits (30 s at most) for a confirmation email at Resend for every reference; none may come twice. */
export async function expectOneConfirmationEmailEach(stack: FaultStack, references: string[], what: string) {
  const emails = await pollUntil(
    () => confirmationEmailCounts(stack, references),
    (e) => e.missing.length === 0,
    { what, timeoutMs: 30_000, intervalMs: 500 },
  );
  expect(emails.value.missing).toEqual([]);
  expect(emails.value.duplicated).toEqual([]);
}

export async function statuses(sql: postgres.Sql, references: string[]): Promise<Record<string, number>> {
  if (references.length === 0) return {};
  const rows = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from bookings where reference in ${sql(references)} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
