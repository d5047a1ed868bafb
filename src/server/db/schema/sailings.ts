import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { routes, vessels } from "./network";
import { type Resource, resources } from "./resources";
import { integerRef } from "./columns";

export const sailingStatuses = ["SCHEDULED", "CANCELLED"] as const;
export type SailingStatus = (typeof sailingStatuses)[number];

export const sailings = pgTable(
  "sailings",
  {
    id: serial("id").primaryKey(),
    routeId: integerRef("route_id", () => routes.id),
    vesselId: integerRef("vessel_id", () => vessels.id),
    departureAt: timestamp("departure_at", { withTimezone: true }).notNull(),
    arrivalAt: timestamp("arrival_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: sailingStatuses }).notNull().default("SCHEDULED"),
    /**
     * Set on a connected operator's sailing: the operator's own id of it. Such a row is a *shadow*, written
     * when a booking is made so that every reader of bookings (view, emails, tickets, admin, refunds) finds
     * its leg like an own one; its places are the operator's, so no inventory row of it is ever held.
     */
    operatorSailingId: text("operator_sailing_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The search query: a route's sailings in a departure window. Also makes timetable generation idempotent.
    unique("sailings_route_departure").on(t.routeId, t.departureAt),
    index("sailings_departure").on(t.departureAt),
    // A route belongs to one operator, so (route, operator's id) names one operator's sailing once.
    unique("sailings_operator_sailing").on(t.routeId, t.operatorSailingId),
    check("sailings_arrival_after_departure", sql`${t.arrivalAt} > ${t.departureAt}`),
    oneOf("sailings_status", t.status, sailingStatuses),
  ],
);

export const inventory = pgTable(
  "inventory",
  {
    sailingId: integerRef("sailing_id", () => sailings.id, { onDelete: "cascade" }),
    resource: text("resource").$type<Resource>().notNull(),
    capacity: integer("capacity").notNull(),
    held: integer("held").notNull().default(0),
    sold: integer("sold").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sailingId, t.resource] }),
    // The invariant that makes overselling impossible, whatever the application code does.
    check(
      "inventory_within_capacity",
      sql`${t.held} >= 0 AND ${t.sold} >= 0 AND ${t.held} + ${t.sold} <= ${t.capacity}`,
    ),
    oneOf("inventory_resource", t.resource, resources),
  ],
);
