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

export const operators = pgTable("operators", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
});

export const vessels = pgTable("vessels", {
  id: serial("id").primaryKey(),
  operatorCode: text("operator_code")
    .notNull()
    .references(() => operators.code),
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
    fromPort: text("from_port")
      .notNull()
      .references(() => ports.code),
    toPort: text("to_port")
      .notNull()
      .references(() => ports.code),
    operatorCode: text("operator_code")
      .notNull()
      .references(() => operators.code),
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
