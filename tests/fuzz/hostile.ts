import fc from "fast-check";
import type postgres from "postgres";

/**
 * Malformed, oversized and hostile inputs for the fuzz tests (tests/fuzz/*.test.ts), and the checks every
 * answer to them must pass: never a 5xx, never a partial write, always a message a person can read.
 */

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "\uD800",
  "\u202E\u0645\u0631\u062D\u0628\u0627",
  "' OR 1=1 --",
  "'; DROP TABLE bookings; --",
  "TRV-' UNION SELECT password_hash FROM admin_users --",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, literally.
  "${jndi:ldap://127.0.0.1/x}",
  "{{7*7}}",
  "../../../../etc/passwd",
  "%00%0d%0a",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
  "2026-02-30",
  "9999-99-99",
  "TUN",
  "x".repeat(10_000),
  "é".repeat(70_000),
  "😀".repeat(3_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    2 ** 31,
    -(2 ** 31),
    2 ** 53 + 2,
    1e308,
  ),
);

const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "json", "meta"),
);

/** Any JSON-ish value built from the hostile leaves, a few levels deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Shapes no parser should choke on: deep nesting, huge arrays, polluted prototypes. */
export const monsterValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}'),
  Array.from({ length: 20_000 }, (_, i) => i),
  { passengers: Array.from({ length: 5_000 }, () => ({ type: "adult", firstName: "A", lastName: "B" })) },
  JSON.parse(`${"[".repeat(2_000)}${"]".repeat(2_000)}`),
  JSON.parse(`${'{"a":'.repeat(500)}1${"}".repeat(500)}`),
);

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = []): Path[] {
  if (v === null || typeof v !== "object") return [prefix];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

function mutate(valid: unknown, at: Path, how: "replace" | "delete" | "extra", value: unknown): unknown {
  if (at.length === 0) return how === "replace" ? value : valid;
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (how === "replace") parent[last] = value;
  else if (how === "delete") delete parent[last];
  else if (typeof parent[last] === "object" && parent[last] !== null)
    (parent[last] as Record<string, unknown>).extra = value;
  else parent[last] = [parent[last], value];
  return copy;
}

/** A valid input with one field replaced, removed or wrapped: gets past the first checks, fails deeper. */
export function mutationsOf(valid: unknown): fc.Arbitrary<unknown> {
  const all = paths(valid);
  return fc
    .tuple(
      fc.nat({ max: all.length - 1 }),
      fc.constantFrom("replace", "delete", "extra") as fc.Arbitrary<"replace" | "delete" | "extra">,
      fc.oneof(hostileValue, monsterValue),
    )
    .map(([i, how, value]) => mutate(valid, all[i]!, how, value));
}

/** Inputs for one procedure: pure garbage, monsters, and near-misses of a valid input when there is one. */
export function inputsFor(valid: unknown | undefined): fc.Arbitrary<unknown> {
  const generic = fc.oneof(hostileValue, monsterValue, fc.anything({ maxDepth: 3 }));
  return valid === undefined ? generic : fc.oneof(generic, mutationsOf(valid), mutationsOf(valid));
}

/** What a person may be shown: words, not a stack trace, SQL, a driver error or an internal path. */
export function unreadableReason(message: unknown): string | null {
  if (typeof message !== "string") return `message is ${typeof message}`;
  if (message.trim().length === 0) return "empty message";
  if (message.length > 2_000) return `message is ${message.length} characters long`;
  if (/\n\s+at\s|\bat .*\.(?:ts|js|mjs):\d+/.test(message)) return "message contains a stack trace";
  if (
    /\b(select|insert into|update \w+ set|delete from)\b|violates|relation "|syntax error|duplicate key|postgres|drizzle|ECONNREFUSED|undefined is not|cannot read propert|is not a function/i.test(
      message,
    )
  )
    return "message leaks SQL or internals";
  return null;
}

export interface RowCounts {
  bookings: number;
  passengers: number;
  booking_holds: number;
  booking_legs: number;
  price_lines: number;
  payments: number;
  email_outbox: number;
  stripe_events: number;
  held: number;
  sold: number;
}

/** The rows and inventory sums a rejected request must leave exactly as they were. */
export async function rowCounts(sql: postgres.Sql): Promise<RowCounts> {
  const [row] = await sql<RowCounts[]>`
    select
      (select count(*)::int from bookings) as bookings,
      (select count(*)::int from passengers) as passengers,
      (select count(*)::int from booking_holds) as booking_holds,
      (select count(*)::int from booking_legs) as booking_legs,
      (select count(*)::int from price_lines) as price_lines,
      (select count(*)::int from payments) as payments,
      (select count(*)::int from email_outbox) as email_outbox,
      (select count(*)::int from stripe_events) as stripe_events,
      (select coalesce(sum(held), 0)::int from inventory) as held,
      (select coalesce(sum(sold), 0)::int from inventory) as sold`;
  return row!;
}

/** Fresh per call so the per-IP rate limits do not turn every later case into a 429. */
let ipCounter = 0;
export function nextIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}
