import { asc } from "drizzle-orm";
import { env, operatorApiKey, operatorUrlOverride } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { type OperatorKind, operators } from "@/server/db/schema/network";
import { type BreakerStatus, CircuitBreaker } from "@/server/lib/circuit-breaker";
import { log as defaultLog } from "@/server/lib/log";
import { CallStats, type CallStatsSummary } from "./call-stats";
import type { OperatorConnector } from "./connector";
import { createFerryGatewayJsonConnector } from "./ferrygateway-json";
import { guardConnector, type OperatorCallEvent } from "./guarded-connector";

/**
 * Every operator Traverse sells, and for each enabled connected one a connector behind its own circuit
 * breaker, with call statistics. Built once per process from the `operators` rows; `refresh()` reloads
 * them after an admin edit. Own operators get no connector (their inventory is Postgres), but their
 * `kind` is here so callers can branch.
 */

export type OperatorStatus = "own" | "active" | "disabled" | "missing_api_key";

export interface OperatorEntry {
  code: string;
  name: string;
  kind: OperatorKind;
  /** own: sold from Postgres; active: has a connector; disabled by an admin; or no API key configured. */
  status: OperatorStatus;
  markupBps: number;
  /** The base URL in use (connected only) and where it came from (the row, or OPERATOR_<CODE>_URL). */
  baseUrl: string | null;
  baseUrlSource: "row" | "env" | null;
  /** The per-call timeout in use (connected only): the row's, capped by OPERATOR_TIMEOUT_MS. */
  timeoutMs: number | null;
}

export interface BreakerState {
  status: BreakerStatus;
  openedAt: Date | null;
  /** When an open breaker lets the next probe through. */
  retryAt: Date | null;
  consecutiveFailures: number;
  opens: number;
}

export interface OperatorDirectory {
  all(): OperatorEntry[];
  entry(code: string): OperatorEntry | undefined;
  kind(code: string): OperatorKind | undefined;
  /** The active connected operators, each with its connector. */
  connected(): { entry: OperatorEntry; connector: OperatorConnector }[];
  /** The connector of an active connected operator; undefined for own, disabled or unknown ones. */
  get(code: string): OperatorConnector | undefined;
  breakerState(code: string): BreakerState | undefined;
  stats(code: string): CallStatsSummary | undefined;
  /** Reloads the rows; breakers survive unless the operator's base URL changed. */
  refresh(): Promise<void>;
}

type Logger = Pick<typeof defaultLog, "info" | "warn">;

export interface OperatorDirectoryOptions {
  db: DbOrTx;
  /** Epoch ms; the breakers' cooldowns and the statistics' window read it. */
  clock?: () => number;
  log?: Logger;
  fetch?: typeof fetch;
  /** Defaults read `src/env.ts`. */
  apiKeyFor?: (code: string) => string | undefined;
  urlOverrideFor?: (code: string) => string | undefined;
  timeoutCapMs?: number;
  breaker?: { failureThreshold?: number; cooldownMs?: number };
  stats?: { windowMs?: number; capacity?: number };
  onCall?: (event: OperatorCallEvent) => void;
  /** Monotonic clock for call durations (tests). */
  monotonic?: () => number;
}

interface Built {
  entries: Map<string, OperatorEntry>;
  connectors: Map<string, OperatorConnector>;
}

export async function createOperatorDirectory(opts: OperatorDirectoryOptions): Promise<OperatorDirectory> {
  const clock = opts.clock ?? Date.now;
  const log = opts.log ?? defaultLog;
  const apiKeyFor = opts.apiKeyFor ?? operatorApiKey;
  const urlOverrideFor = opts.urlOverrideFor ?? operatorUrlOverride;
  const cap = opts.timeoutCapMs ?? env.OPERATOR_TIMEOUT_MS;
  const breakers = new Map<string, { baseUrl: string; breaker: CircuitBreaker }>();
  const stats = new Map<string, CallStats>();
  let built: Built = { entries: new Map(), connectors: new Map() };

  function breakerFor(code: string, baseUrl: string): CircuitBreaker {
    const existing = breakers.get(code);
    if (existing?.baseUrl === baseUrl) return existing.breaker;
    const breaker = new CircuitBreaker({
      failureThreshold: opts.breaker?.failureThreshold ?? 5,
      cooldownMs: opts.breaker?.cooldownMs ?? 30_000,
      now: clock,
      onStateChange: (to, s) => {
        if (to === "open")
          log.warn("operator circuit opened", { operator: code, failures: s.consecutiveFailures });
        else if (to === "closed") log.info("operator circuit closed", { operator: code });
      },
    });
    breakers.set(code, { baseUrl, breaker });
    return breaker;
  }

  function statsFor(code: string): CallStats {
    let s = stats.get(code);
    if (!s) {
      s = new CallStats({ ...opts.stats, now: clock });
      stats.set(code, s);
    }
    return s;
  }

  async function load(): Promise<void> {
    const rows = await opts.db.select().from(operators).orderBy(asc(operators.code));
    const next: Built = { entries: new Map(), connectors: new Map() };
    for (const row of rows) {
      const connected = row.kind === "connected";
      const override = connected ? urlOverrideFor(row.code) : undefined;
      // A connected row always has a base URL (operators_connected_base_url).
      const baseUrl = connected ? (override ?? row.baseUrl ?? "") : null;
      const timeoutMs = connected ? Math.min(row.timeoutMs ?? cap, cap) : null;
      const entry: OperatorEntry = {
        code: row.code,
        name: row.name,
        kind: row.kind,
        status: "own",
        markupBps: row.markupBps,
        baseUrl,
        baseUrlSource: baseUrl === null ? null : override ? "env" : "row",
        timeoutMs,
      };
      next.entries.set(row.code, entry);
      if (baseUrl === null || timeoutMs === null) continue;
      if (!row.enabled) {
        entry.status = "disabled";
        continue;
      }
      const apiKey = apiKeyFor(row.code);
      if (!apiKey) {
        entry.status = "missing_api_key";
        log.warn(
          `operator ${row.code} is connected but OPERATOR_${row.code}_API_KEY is not set: it is left out of search and booking until the key is configured`,
        );
        continue;
      }
      entry.status = "active";
      const connector = createFerryGatewayJsonConnector({
        code: row.code,
        baseUrl,
        apiKey,
        timeoutMs,
        fetch: opts.fetch,
      });
      next.connectors.set(
        row.code,
        guardConnector(connector, {
          breaker: breakerFor(row.code, baseUrl),
          stats: statsFor(row.code),
          now: clock,
          monotonic: opts.monotonic,
          onCall: opts.onCall,
        }),
      );
    }
    built = next;
  }

  // Refreshes run one after another, so a late one never overwrites a newer reading with an older one.
  let queue: Promise<void> = load();
  await queue;

  return {
    all: () => [...built.entries.values()].map((e) => ({ ...e })),
    entry: (code) => {
      const e = built.entries.get(code);
      return e ? { ...e } : undefined;
    },
    kind: (code) => built.entries.get(code)?.kind,
    connected: () =>
      [...built.connectors.entries()].map(([code, connector]) => ({
        entry: { ...built.entries.get(code)! },
        connector,
      })),
    get: (code) => built.connectors.get(code),
    breakerState: (code) => {
      if (!built.connectors.has(code)) return undefined;
      const s = breakers.get(code)!.breaker.snapshot();
      const at = (ms: number | null) => (ms === null ? null : new Date(ms));
      return {
        status: s.status,
        openedAt: at(s.openedAt),
        retryAt: at(s.retryAt),
        consecutiveFailures: s.consecutiveFailures,
        opens: s.opens,
      };
    },
    stats: (code) => (built.connectors.has(code) ? statsFor(code).summary() : undefined),
    refresh: () => {
      queue = queue.catch(() => {}).then(load);
      return queue;
    },
  };
}
