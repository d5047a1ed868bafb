import type postgres from "postgres";
import type { FaultStack } from "./stack";

/** tRPC over HTTP the way the browser client sends it (superjson envelope, same-origin JSON POSTs). */
export interface TrpcResponse<T> {
  status: number;
  data?: T;
  message?: string;
  /** The raw body when it was not a tRPC envelope (e.g. a bare 500 page). */
  raw?: string;
}

async function parse<T>(res: Response): Promise<TrpcResponse<T>> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as {
      result?: { data: { json: T } };
      error?: { json: { message: string } };
    };
    return { status: res.status, data: body.result?.data.json, message: body.error?.json.message };
  } catch {
    return { status: res.status, raw: text.slice(0, 500) };
  }
}

export async function trpcPost<T>(
  appUrl: string,
  procedure: string,
  input: unknown,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<TrpcResponse<T>> {
  const res = await fetch(`${appUrl}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl },
    body: JSON.stringify({ json: input }),
    signal,
  });
  return parse<T>(res);
}

export async function trpcGet<T>(
  appUrl: string,
  procedure: string,
  input: unknown,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<TrpcResponse<T>> {
  const res = await fetch(
    `${appUrl}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    { signal },
  );
  return parse<T>(res);
}

export interface Created {
  reference: string;
  email: string;
  checkoutUrl: string | null;
  sessionId: string | null;
}

export function bookingInput(sailingId: number, i: number, tag: string) {
  return {
    outbound: { sailingId, accommodation: "DECK" },
    passengers: [
      {
        type: "adult",
        firstName: "Fault",
        lastName: `Traveller${String.fromCharCode(65 + (i % 26))}`,
        nationality: "TN",
        documentNumber: `F${100000 + i}`,
      },
    ],
    contact: { email: `${tag}-${i}@example.com` },
    locale: "en",
  };
}

/** Sailings far enough ahead that every policy allows booking, spread so none sells out. */
export async function bookableSailings(sql: postgres.Sql, n = 20): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select s.id from sailings s join inventory i on i.sailing_id = s.id and i.resource = 'DECK'
    where s.status = 'SCHEDULED' and s.departure_at > now() + interval '3 days' and i.capacity - i.held - i.sold > 50
    order by s.departure_at limit ${n}`;
  if (rows.length === 0) throw new Error("no bookable sailing in the seed");
  return rows.map((r) => r.id);
}

export function sessionIdOf(checkoutUrl: string | null): string | null {
  return checkoutUrl ? (checkoutUrl.split("/pay/")[1]?.split(/[?#]/)[0] ?? null) : null;
}

/** Creates `count` bookings over HTTP with bounded concurrency; throws on any non-200. */
export async function createBookings(
  stack: FaultStack,
  count: number,
  tag: string,
  opts: { concurrency?: number; allowNoCheckout?: boolean } = {},
): Promise<Created[]> {
  const sailings = await bookableSailings(stack.sql);
  const out: Created[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      const email = `${tag}-${i}@example.com`;
      const r = await trpcPost<{ reference: string; checkoutUrl: string | null }>(
        stack.appUrl,
        "booking.create",
        bookingInput(sailings[i % sailings.length] as number, i, tag),
      );
      if (r.status !== 200 || !r.data) {
        throw new Error(`booking.create #${i}: ${r.status} ${r.message ?? r.raw}`);
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
  await Promise.all(Array.from({ length: opts.concurrency ?? 5 }, client));
  return out;
}

/** Pays a Checkout session on the Stripe emulator with the 4242 test card (no browser). */
export async function payOnStripe(stack: FaultStack, sessionId: string): Promise<void> {
  const res = await fetch(`${stack.stripeUrl}/_emulator/checkout/sessions/${sessionId}/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ card: "4242424242424242" }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`pay ${sessionId}: ${res.status} ${await res.text()}`);
}

export async function stripeControl(stack: FaultStack, route: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(`${stack.stripeUrl}/_emulator/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  if (!res.ok) throw new Error(`stripe control ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface EmulatorEvent {
  event: { id: string; type: string; data: { object: { id: string; metadata?: Record<string, string> } } };
  delivery: { status: string; attempts: { status: number | null }[] };
}

export async function stripeEvents(stack: FaultStack): Promise<EmulatorEvent[]> {
  const res = await fetch(`${stack.stripeUrl}/_emulator/events`, { signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as { data: EmulatorEvent[] }).data;
}

export async function resendControl(stack: FaultStack, route: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${stack.resendUrl}/_emulator/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`resend control ${route}: ${res.status} ${await res.text()}`);
}

export interface CapturedEmail {
  id: string;
  subject: string;
  to: string | string[];
  idempotencyKey: string | null;
}

export async function resendEmails(stack: FaultStack): Promise<CapturedEmail[]> {
  const res = await fetch(`${stack.resendUrl}/_emulator/emails`, { signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as { data: CapturedEmail[] }).data;
}

/**
 * How many "Booking confirmed" emails reached Resend for each reference (subject carries the reference:
 * "Booking confirmed: TRV-… · …"), and any reference that got none or several.
 */
export async function confirmationEmailCounts(
  stack: FaultStack,
  references: string[],
): Promise<{ counts: Map<string, number>; missing: string[]; duplicated: string[] }> {
  const emails = await resendEmails(stack);
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

export async function statuses(sql: postgres.Sql, references: string[]): Promise<Record<string, number>> {
  if (references.length === 0) return {};
  const rows = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from bookings where reference in ${sql(references)} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export interface SearchInput {
  from: string;
  to: string;
  date: string;
  passengers: { adults: number; children: number; infants: number };
}

/** Real (route, local date) pairs from the seed, so searches hit the schedule, fares and availability. */
export async function searchInputs(sql: postgres.Sql, n = 40): Promise<SearchInput[]> {
  const rows = await sql<{ from: string; to: string; date: string }[]>`
    select distinct r.from_port as from, r.to_port as to,
      to_char(s.departure_at at time zone p.time_zone, 'YYYY-MM-DD') as date
    from sailings s join routes r on r.id = s.route_id join ports p on p.code = r.from_port
    where s.departure_at > now() + interval '1 day'
    order by 3, 1, 2 limit ${n}`;
  return rows.map((r, i) => ({ ...r, passengers: { adults: 1 + (i % 3), children: i % 2, infants: 0 } }));
}
