import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, serial, text, timestamp, unique } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { routes } from "./network";
import {
  type Accommodation,
  accommodations,
  type PassengerType,
  passengerTypes,
  type VehicleType,
  vehicleTypes,
} from "./resources";
import { sailings } from "./sailings";
import { integerRef } from "./columns";

export const fareKinds = ["PASSENGER", "VEHICLE", "PET"] as const;
export type FareKind = (typeof fareKinds)[number];

/**
 * One price per route (sailing_id NULL) with optional per-sailing overrides. A PASSENGER fare is per
 * accommodation × passenger type; VEHICLE per vehicle type; PET is a flat supplement per animal.
 * NULLS NOT DISTINCT makes "one route default per item" a database rule, not a convention.
 */
export const fares = pgTable(
  "fares",
  {
    id: serial("id").primaryKey(),
    routeId: integerRef("route_id", () => routes.id, { onDelete: "cascade" }),
    sailingId: integer("sailing_id").references(() => sailings.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: fareKinds }).notNull(),
    accommodation: text("accommodation").$type<Accommodation>(),
    passengerType: text("passenger_type").$type<PassengerType>(),
    vehicleType: text("vehicle_type").$type<VehicleType>(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("fares_item")
      .on(t.routeId, t.sailingId, t.kind, t.accommodation, t.passengerType, t.vehicleType)
      .nullsNotDistinct(),
    index("fares_sailing").on(t.sailingId),
    oneOf("fares_kind", t.kind, fareKinds),
    oneOf("fares_accommodation", t.accommodation, accommodations),
    oneOf("fares_passenger_type", t.passengerType, passengerTypes),
    oneOf("fares_vehicle_type", t.vehicleType, vehicleTypes),
    check("fares_amount_non_negative", sql`${t.amount} >= 0`),
    check("fares_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      "fares_kind_shape",
      sql`(${t.kind} = 'PASSENGER' AND ${t.accommodation} IS NOT NULL AND ${t.passengerType} IS NOT NULL AND ${t.vehicleType} IS NULL)
       OR (${t.kind} = 'VEHICLE' AND ${t.vehicleType} IS NOT NULL AND ${t.accommodation} IS NULL AND ${t.passengerType} IS NULL)
       OR (${t.kind} = 'PET' AND ${t.accommodation} IS NULL AND ${t.passengerType} IS NULL AND ${t.vehicleType} IS NULL)`,
    ),
  ],
);
