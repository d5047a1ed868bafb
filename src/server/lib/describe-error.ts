import { AppError } from "./errors";

/**
 * What went wrong, in one line that carries none of the data involved: the only way errors reach a log
 * line or a stored job error (`log` applies it to every Error it is given; `worker/define-task.ts` to
 * whatever a task throws).
 *
 * Database errors are the dangerous ones: postgres.js puts the failing query and its parameters on the
 * error (`query`, `parameters`), its `detail` quotes the conflicting values ("Key (email)=(…)"), a
 * trigger's message can say anything, and drizzle's wrapper copies query and parameters into its
 * message. So a database error is told only by SQLSTATE, constraint, table and column.
 */
export function describeError(e: unknown): string {
  const chain = causes(e);
  const pg = chain.find(isPostgresError);
  if (pg) return describePostgres(pg);
  for (const c of chain) {
    if (c instanceof ScrubbedError) return c.message;
    if (c instanceof AppError) {
      const reason = typeof c.details?.reason === "string" ? ` reason=${c.details.reason}` : "";
      return `AppError ${c.code}${reason}`;
    }
    if (isStripeError(c)) return describeStripe(c);
  }
  const inner = [...chain].reverse().find((c) => !isQueryWrapper(c));
  if (!inner) return "database query failed";
  if (!(inner instanceof Error)) return `non-error thrown (${typeof inner})`;
  const code = (inner as { code?: unknown }).code;
  const codePart = typeof code === "string" || typeof code === "number" ? ` code=${code}` : "";
  const message = scrubText(inner.message);
  return `${inner.name}${codePart}${message ? `: ${message}` : ""}`;
}

/**
 * Thrown in place of a task's error so that graphile-worker stores (in `jobs.last_error`) and logs only
 * the scrubbed description; any throw still means "retry", so retry semantics are unchanged.
 */
export class ScrubbedError extends Error {
  override name = "JobFailed";
}

export function scrubbed(e: unknown): ScrubbedError {
  return e instanceof ScrubbedError ? e : new ScrubbedError(describeError(e));
}

function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  let cur = e;
  while (cur !== undefined && cur !== null && out.length < 6 && !out.includes(cur)) {
    out.push(cur);
    cur = typeof cur === "object" ? (cur as { cause?: unknown }).cause : undefined;
  }
  return out;
}

interface PostgresLike {
  code: string;
  table_name?: unknown;
  constraint_name?: unknown;
  column_name?: unknown;
}

function isPostgresError(e: unknown): e is PostgresLike {
  if (!e || typeof e !== "object") return false;
  const code = (e as { code?: unknown }).code;
  return (
    typeof code === "string" &&
    /^[0-9A-Z]{5}$/.test(code) &&
    ((e as Error).name === "PostgresError" || "severity" in e)
  );
}

function describePostgres(e: PostgresLike): string {
  const parts = [`database error sqlstate=${e.code}`];
  for (const [label, value] of [
    ["constraint", e.constraint_name],
    ["table", e.table_name],
    ["column", e.column_name],
  ] as const) {
    // Identifiers only; a name that does not look like one is left out rather than trusted.
    if (typeof value === "string" && /^[A-Za-z_][A-Za-z0-9_$.]{0,62}$/.test(value)) {
      parts.push(`${label}=${value}`);
    }
  }
  return parts.join(" ");
}

/** drizzle's DrizzleQueryError: its message is the SQL plus every parameter. */
function isQueryWrapper(e: unknown): boolean {
  return !!e && typeof e === "object" && "query" in e && "params" in e;
}

interface StripeLike {
  type: string;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
}

function isStripeError(e: unknown): e is StripeLike {
  if (!e || typeof e !== "object") return false;
  const type = (e as { type?: unknown }).type;
  return typeof type === "string" && type.startsWith("Stripe") && "rawType" in e;
}

function describeStripe(e: StripeLike): string {
  const parts = [e.type];
  if (typeof e.statusCode === "number") parts.push(`status=${e.statusCode}`);
  if (typeof e.code === "string") parts.push(`code=${e.code}`);
  if (typeof e.requestId === "string") parts.push(`request=${e.requestId}`);
  return parts.join(" ");
}

/**
 * For errors that are neither the database's nor ours (a TypeError, a network failure) and for providers'
 * error texts: the first line only, without quoted values, email addresses or anything shaped like a
 * document number or card. Best effort: a bare name in free text cannot be recognised.
 */
export function scrubText(message: string): string {
  return (message.split("\n", 1)[0] ?? "")
    .replace(/(["'`])(?:(?!\1).)*\1/g, "$1…$1")
    .replace(/\(([^()]*)\)=\(([^()]*)\)/g, "(…)=(…)")
    .replace(/[^\s@]+@[^\s@]+/g, "[email]")
    .replace(/\b(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{5,}\b/g, "[…]")
    .slice(0, 300)
    .trim();
}
