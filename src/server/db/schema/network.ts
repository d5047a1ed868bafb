import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import type { Resource } from "./resources";
import { textRef } from "./columns";

/** Ports, operators, vessels and routes: the network travellers search over. */

export const ports = pgTable(
  "ports",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    country: text("country").notNull(),
    timeZone: text("time_zone").notNull(),
  },
  (t) => [
    check("ports_code_format", sql`${t.code} ~ '^[A-Z]{3}$'`),
    check("ports_country_format", sql`${t.country} ~ '^[A-Z]{2}$'`),
  ],
);

/**
 * `own`: sold from Traverse's inventory (sailings, fares and places in these tables). `connected`: sold
 * through the operator's reservation system at `base_url` (src/server/features/operators/).
 */
export const operatorKinds = ["own", "connected"] as const;
export type OperatorKind = (typeof operatorKinds)[number];

export const OPERATOR_TIMEOUT_RANGE_MS = { min: 100, max: 30_000 } as const;
export const OPERATOR_MARKUP_RANGE_BPS = { min: 0, max: 5_000 } as const;
export const OPERATOR_SYNC_ERROR_MAX = 300;

export const operators = pgTable(
  "operators",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: operatorKinds }).notNull().default("own"),
    /** The reservation system's base URL (the API is under it); required for a connected operator. */
    baseUrl: text("base_url"),
    /** Per-call timeout; NULL means OPERATOR_TIMEOUT_MS, which also caps it. */
    timeoutMs: integer("timeout_ms").default(1500),
    /** Traverse's margin on the operator's fare, in basis points (800 = 8 %). */
    markupBps: integer("markup_bps").notNull().default(800),
    /** Off: a connected operator is neither searched nor booked. */
    enabled: boolean("enabled").notNull().default(true),
    /** Change-feed bookkeeping: where to resume, when it last ran, and why it last failed (scrubbed). */
    changeCursor: text("change_cursor"),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    lastSyncError: text("last_sync_error"),
  },
  (t) => [
    // Three letters, because settings are looked up as OPERATOR_<CODE>_API_KEY.
    check("operators_code_format", sql`${t.code} ~ '^[A-Z]{3}$'`),
    oneOf("operators_kind", t.kind, operatorKinds),
    check("operators_connected_base_url", sql`${t.kind} <> 'connected' OR ${t.baseUrl} IS NOT NULL`),
    check(
      "operators_base_url_format",
      sql`${t.baseUrl} IS NULL OR ${t.baseUrl} ~ '^https?://[^[:space:]]+$'`,
    ),
    check(
      "operators_timeout_range",
      sql`${t.timeoutMs} IS NULL OR ${t.timeoutMs} BETWEEN ${sql.raw(String(OPERATOR_TIMEOUT_RANGE_MS.min))} AND ${sql.raw(String(OPERATOR_TIMEOUT_RANGE_MS.max))}`,
    ),
    check(
      "operators_markup_range",
      sql`${t.markupBps} BETWEEN ${sql.raw(String(OPERATOR_MARKUP_RANGE_BPS.min))} AND ${sql.raw(String(OPERATOR_MARKUP_RANGE_BPS.max))}`,
    ),
    check(
      "operators_sync_error_short",
      sql`char_length(${t.lastSyncError}) <= ${sql.raw(String(OPERATOR_SYNC_ERROR_MAX))}`,
    ),
  ],
);

export const vessels = pgTable("vessels", {
  id: serial("id").primaryKey(),
  operatorCode: textRef("operator_code", () => operators.code),
  name: text("name").notNull().unique(),
  /** Default capacity per resource for new sailings, e.g. { PASSENGER: 1800, CABIN_INSIDE: 120 }. */
  capacities: jsonb("capacities").$type<Partial<Record<Resource, number>>>().notNull().default({}),
});

export const refundPolicies = ["STANDARD", "FLEX"] as const;
export type RefundPolicy = (typeof refundPolicies)[number];

export const routes = pgTable(
  "routes",
  {
    id: serial("id").primaryKey(),
    fromPort: textRef("from_port", () => ports.code),
    toPort: textRef("to_port", () => ports.code),
    operatorCode: textRef("operator_code", () => operators.code),
    durationMinutes: integer("duration_minutes").notNull(),
    /** Whether the route crosses a border: then passengers give nationality and a document number. */
    international: boolean("international").notNull().default(true),
    refundPolicy: text("refund_policy", { enum: refundPolicies }).notNull().default("STANDARD"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("routes_from_to_operator").on(t.fromPort, t.toPort, t.operatorCode),
    index("routes_from_to").on(t.fromPort, t.toPort),
    check("routes_distinct_ports", sql`${t.fromPort} <> ${t.toPort}`),
    check("routes_duration_positive", sql`${t.durationMinutes} > 0`),
    oneOf("routes_refund_policy", t.refundPolicy, refundPolicies),
  ],
);
