import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { env } from "@/env";
import {
  OPERATOR_MARKUP_RANGE_BPS,
  OPERATOR_TIMEOUT_RANGE_MS,
  type OperatorKind,
  operators,
} from "@/server/db/schema/network";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import type { CallStatsSummary } from "./call-stats";
import type { BreakerState, OperatorDirectory, OperatorStatus } from "./directory";

/**
 * The admin Operators page: every operator's settings as stored, and for connected ones what this process
 * sees of them (breaker, call statistics of the last 15 minutes). Breakers and statistics live in each
 * process (`directory.ts`), so another app instance or the worker may see a different picture.
 */

export const operatorCodeInput = z
  .string({ error: "Choose an operator." })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use the operator's three-letter code, such as GNV.");

/** The highest timeout an admin may set: what the process allows any call (OPERATOR_TIMEOUT_MS). */
export function timeoutCapMs(): number {
  return Math.min(env.OPERATOR_TIMEOUT_MS, OPERATOR_TIMEOUT_RANGE_MS.max);
}

export const updateOperatorInput = z
  .object({
    code: operatorCodeInput,
    enabled: z.boolean({ error: "Enabled is yes or no." }).optional(),
    timeoutMs: z
      .number({ error: "Give the timeout in milliseconds." })
      .int("The timeout must be a whole number of milliseconds.")
      .min(OPERATOR_TIMEOUT_RANGE_MS.min, `The timeout must be at least ${OPERATOR_TIMEOUT_RANGE_MS.min} ms.`)
      .max(
        timeoutCapMs(),
        `The timeout can be at most ${timeoutCapMs()} ms (OPERATOR_TIMEOUT_MS): a search never waits longer than that for any operator.`,
      )
      .optional(),
    markupBps: z
      .number({ error: "Give the markup in basis points (100 = 1 %)." })
      .int("The markup must be a whole number of basis points (100 = 1 %).")
      .min(OPERATOR_MARKUP_RANGE_BPS.min, "The markup cannot be negative.")
      .max(
        OPERATOR_MARKUP_RANGE_BPS.max,
        `The markup can be at most ${OPERATOR_MARKUP_RANGE_BPS.max} basis points (50 %).`,
      )
      .optional(),
  })
  .refine((i) => i.enabled !== undefined || i.timeoutMs !== undefined || i.markupBps !== undefined, {
    message: "Nothing to change: give enabled, a timeout or a markup.",
    path: ["code"],
  });

export type UpdateOperatorInput = z.infer<typeof updateOperatorInput>;

export interface AdminOperator {
  code: string;
  name: string;
  kind: OperatorKind;
  enabled: boolean;
  /** What the directory of this process made of the row: own, active, disabled or missing_api_key. */
  status: OperatorStatus | "not_loaded";
  /** The row's timeout (NULL: OPERATOR_TIMEOUT_MS) and the one calls use (capped by OPERATOR_TIMEOUT_MS). */
  timeoutMs: number | null;
  effectiveTimeoutMs: number | null;
  markupBps: number;
  /** The base URL calls go to (never with credentials in it) and where it is configured. */
  baseUrl: string | null;
  baseUrlSource: "row" | "env" | null;
  /** The variable that overrides the row's URL, so the page can name it. */
  urlVariable: string;
  apiKeyVariable: string;
  breaker: BreakerState | null;
  stats: CallStatsSummary | null;
  sync: { cursor: string | null; lastSyncAt: Date | null; lastSyncError: string | null };
}

export interface AdminOperatorList {
  operators: AdminOperator[];
  timeoutCapMs: number;
  /** What `updateOperatorInput` accepts, so the page checks the same ranges before sending. */
  limits: { timeoutMinMs: number; timeoutMaxMs: number; markupMinBps: number; markupMaxBps: number };
  /** Breakers and statistics are this process's own view. */
  scope: "process";
  generatedAt: Date;
}

type OperatorRow = typeof operators.$inferSelect;

/** A URL as shown to admins: user and password removed (someone may have put a key in it). */
export function displayUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(not a valid URL)";
  }
}

function settingsOf(row: OperatorRow) {
  return { enabled: row.enabled, timeoutMs: row.timeoutMs, markupBps: row.markupBps };
}

/**
 * Whether this process's directory was loaded from other rows than these: another app instance saved a
 * change (each process reloads only after its own edits), so the page would show a stale status.
 */
function directoryIsStale(rows: OperatorRow[], directory: OperatorDirectory): boolean {
  const cap = timeoutCapMs();
  return rows.some((row) => {
    const e = directory.entry(row.code);
    if (!e || e.kind !== row.kind || e.markupBps !== row.markupBps) return true;
    if (row.kind === "own") return false;
    const enabledNow = e.status !== "disabled";
    const timeout = Math.min(row.timeoutMs ?? cap, cap);
    const rowUrlDiffers = e.baseUrlSource === "row" && e.baseUrl !== row.baseUrl;
    return enabledNow !== row.enabled || e.timeoutMs !== timeout || rowUrlDiffers;
  });
}

/**
 * Reloads this process's directory when the operator rows changed since it was loaded; true when it did.
 * For processes that never list operators (the worker), e.g. from a task that runs every minute.
 */
export async function refreshDirectoryIfChanged(svc: Services): Promise<boolean> {
  const [rows, directory] = await Promise.all([svc.db.select().from(operators), svc.operators()]);
  if (!directoryIsStale(rows, directory)) return false;
  await directory.refresh();
  return true;
}

export async function listOperators(svc: Services): Promise<AdminOperatorList> {
  const [rows, directory] = await Promise.all([
    svc.db.select().from(operators).orderBy(asc(operators.code)),
    svc.operators(),
  ]);
  if (directoryIsStale(rows, directory)) await directory.refresh();
  return {
    operators: rows.map((row): AdminOperator => {
      const entry = directory.entry(row.code);
      const connected = row.kind === "connected";
      return {
        code: row.code,
        name: row.name,
        kind: row.kind,
        enabled: row.enabled,
        status: entry?.status ?? "not_loaded",
        timeoutMs: connected ? row.timeoutMs : null,
        effectiveTimeoutMs: entry?.timeoutMs ?? null,
        markupBps: row.markupBps,
        baseUrl: displayUrl(entry?.baseUrl ?? row.baseUrl),
        baseUrlSource: entry?.baseUrlSource ?? (row.baseUrl ? "row" : null),
        urlVariable: `OPERATOR_${row.code}_URL`,
        apiKeyVariable: `OPERATOR_${row.code}_API_KEY`,
        breaker: directory.breakerState(row.code) ?? null,
        stats: directory.stats(row.code) ?? null,
        sync: { cursor: row.changeCursor, lastSyncAt: row.lastSyncAt, lastSyncError: row.lastSyncError },
      };
    }),
    timeoutCapMs: timeoutCapMs(),
    limits: {
      timeoutMinMs: OPERATOR_TIMEOUT_RANGE_MS.min,
      timeoutMaxMs: timeoutCapMs(),
      markupMinBps: OPERATOR_MARKUP_RANGE_BPS.min,
      markupMaxBps: OPERATOR_MARKUP_RANGE_BPS.max,
    },
    scope: "process",
    generatedAt: svc.clock.now(),
  };
}

/**
 * Changes what applies to a connected operator: enabled, timeout, markup. Own operators are sold from
 * Traverse's own inventory at the fares admins set, so none of these mean anything for them and the
 * change is refused rather than stored as a setting that does nothing. Audited with before and after
 * in the same transaction; this process's directory is reloaded once it has committed (other app
 * instances reload theirs when they next list operators, see `directoryIsStale`).
 */
export async function updateOperator(svc: Services, actor: Actor, input: UpdateOperatorInput) {
  await svc.db.transaction(async (tx) => {
    const [row] = await tx.select().from(operators).where(eq(operators.code, input.code)).for("update");
    if (!row) {
      throw new AppError("NOT_FOUND", `There is no operator ${input.code}.`, {
        reason: "OPERATOR_NOT_FOUND",
      });
    }
    if (row.kind === "own") {
      throw new AppError(
        "BAD_REQUEST",
        `${row.name} is an own operator: it is sold from Traverse's inventory, so enabled, timeout and markup do not apply. Change its sailings and fares on the Schedules and Prices pages.`,
        { reason: "OWN_OPERATOR" },
      );
    }
    const before = settingsOf(row);
    const after = {
      enabled: input.enabled ?? row.enabled,
      timeoutMs: input.timeoutMs ?? row.timeoutMs,
      markupBps: input.markupBps ?? row.markupBps,
    };
    await tx.update(operators).set(after).where(eq(operators.code, row.code));
    await writeAudit(tx, {
      adminUserId: actor.userId,
      action: "operators.update",
      entity: "operator",
      entityId: row.code,
      before,
      after,
    });
  });
  const directory = await svc.operators();
  await directory.refresh();
  const list = await listOperators(svc);
  return list.operators.find((o) => o.code === input.code)!;
}
