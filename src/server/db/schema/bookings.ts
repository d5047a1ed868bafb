import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import {
  type Accommodation,
  accommodations,
  type PassengerType,
  passengerTypes,
  type Resource,
  type VehicleType,
  vehicleTypes,
} from "./resources";
import { sailings } from "./sailings";
import { integerRef, uuidRef } from "./columns";

/**
 * CONFIRMING: paid, waiting for a connected operator to confirm its legs (`confirm_operator_booking`);
 * it ends CONFIRMED, or CANCELLED with a full refund when the operator refuses.
 */
export const bookingStatuses = [
  "PENDING_PAYMENT",
  "CONFIRMING",
  "CONFIRMED",
  "CANCELLED",
  "EXPIRED",
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const locales = ["en", "fr", "ar"] as const;
export type Locale = (typeof locales)[number];

export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    /** Stored lower-cased so lookups by (reference, email) are exact. */
    contactEmail: text("contact_email").notNull(),
    contactPhone: text("contact_phone"),
    locale: text("locale", { enum: locales }).notNull().default("en"),
    status: text("status", { enum: bookingStatuses }).notNull().default("PENDING_PAYMENT"),
    totalAmount: integer("total_amount").notNull(),
    currency: text("currency").notNull(),
    holdExpiresAt: timestamp("hold_expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    expiredAt: timestamp("expired_at", { withTimezone: true }),
    /**
     * Who created it, as `hashSubject(client address)` (never the address itself): counts the unpaid
     * places one client holds on a sailing. Null for bookings made by server-side code.
     */
    clientKey: text("client_key"),
  },
  (t) => [
    unique("bookings_reference").on(t.reference),
    index("bookings_email").on(t.contactEmail),
    index("bookings_pending_hold").on(t.holdExpiresAt).where(sql`${t.status} = 'PENDING_PAYMENT'`),
    index("bookings_pending_client").on(t.clientKey).where(sql`${t.status} = 'PENDING_PAYMENT'`),
    check("bookings_client_key_hashed", sql`${t.clientKey} ~ '^[0-9a-f]{32}$'`),
    check("bookings_reference_format", sql`${t.reference} ~ '^TRV-[0-9A-HJKMNP-TV-Z]{8,}$'`),
    check("bookings_email_lowercase", sql`${t.contactEmail} = lower(${t.contactEmail})`),
    check("bookings_total_non_negative", sql`${t.totalAmount} >= 0`),
    check("bookings_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    oneOf("bookings_status", t.status, bookingStatuses),
    oneOf("bookings_locale", t.locale, locales),
  ],
);

export const legDirections = ["OUTBOUND", "RETURN"] as const;

/** A connected leg at its operator: held (provisional), sold (confirmed), cancelled, or let go unpaid. */
export const operatorLegStatuses = ["provisional", "confirmed", "cancelled", "released"] as const;
export type OperatorLegStatus = (typeof operatorLegStatuses)[number];
export type LegDirection = (typeof legDirections)[number];

export const bookingLegs = pgTable(
  "booking_legs",
  {
    id: serial("id").primaryKey(),
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: legDirections }).notNull(),
    sailingId: integerRef("sailing_id", () => sailings.id),
    accommodation: text("accommodation").$type<Accommodation>().notNull(),
    /** A connected operator's leg: the operator's booking reference and that booking's state there. */
    operatorReference: text("operator_reference"),
    operatorStatus: text("operator_status", { enum: operatorLegStatuses }),
  },
  (t) => [
    unique("booking_legs_direction").on(t.bookingId, t.direction),
    index("booking_legs_sailing").on(t.sailingId),
    oneOf("booking_legs_direction_value", t.direction, legDirections),
    oneOf("booking_legs_operator_status", t.operatorStatus, operatorLegStatuses),
    // Both or neither: a connected leg exists only once its operator has answered the hold.
    check(
      "booking_legs_operator_pair",
      sql`(${t.operatorReference} IS NULL) = (${t.operatorStatus} IS NULL)`,
    ),
  ],
);

/**
 * Exactly what a booking took from inventory, so release and confirm move the same quantities back
 * or across, whatever the fare rules say by then.
 */
export const bookingHolds = pgTable(
  "booking_holds",
  {
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    sailingId: integerRef("sailing_id", () => sailings.id),
    resource: text("resource").$type<Resource>().notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.sailingId, t.resource] }),
    check("booking_holds_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

export const passengers = pgTable(
  "passengers",
  {
    id: serial("id").primaryKey(),
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    position: smallint("position").notNull(),
    type: text("type").$type<PassengerType>().notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    dateOfBirth: date("date_of_birth"),
    nationality: text("nationality"),
    documentNumber: text("document_number"),
  },
  (t) => [
    unique("passengers_position").on(t.bookingId, t.position),
    oneOf("passengers_type", t.type, passengerTypes),
  ],
);

export const bookingVehicles = pgTable(
  "booking_vehicles",
  {
    bookingId: uuid("booking_id")
      .primaryKey()
      .references(() => bookings.id, { onDelete: "cascade" }),
    type: text("type").$type<VehicleType>().notNull(),
    registration: text("registration").notNull(),
    heightCm: integer("height_cm"),
    lengthCm: integer("length_cm"),
  },
  (t) => [
    oneOf("booking_vehicles_type", t.type, vehicleTypes),
    check("booking_vehicles_height", sql`${t.heightCm} IS NULL OR ${t.heightCm} > 0`),
    check("booking_vehicles_length", sql`${t.lengthCm} IS NULL OR ${t.lengthCm} > 0`),
  ],
);

/** What a price line charges for: places for one passenger type, a vehicle, or pets' kennels. */
/** FEE: Traverse's service fee on a connected operator's fare (its markup, one line per leg). */
export const priceLineKinds = ["PASSENGER", "VEHICLE", "PET", "FEE"] as const;
export type PriceLineKind = (typeof priceLineKinds)[number];

/**
 * The price as sold: snapshotted at booking time, never recomputed from today's fares. Pages label a line
 * from its kind and codes in their own language; `description` is the English label of the same line, kept
 * for Stripe's line items and API clients.
 */
export const priceLines = pgTable(
  "price_lines",
  {
    id: serial("id").primaryKey(),
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: legDirections }).notNull(),
    kind: text("kind", { enum: priceLineKinds }).notNull(),
    /** PASSENGER lines: who and in which accommodation. */
    passengerType: text("passenger_type", { enum: passengerTypes }),
    accommodation: text("accommodation").$type<Accommodation>(),
    /** VEHICLE lines: the vehicle class. */
    vehicleType: text("vehicle_type", { enum: vehicleTypes }),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
  },
  (t) => [
    index("price_lines_booking").on(t.bookingId),
    oneOf("price_lines_kind", t.kind, priceLineKinds),
    oneOf("price_lines_passenger_type", t.passengerType, passengerTypes),
    oneOf("price_lines_accommodation", t.accommodation, accommodations),
    oneOf("price_lines_vehicle_type", t.vehicleType, vehicleTypes),
    check(
      "price_lines_kind_codes",
      sql`(${t.kind} = 'PASSENGER') = (${t.passengerType} IS NOT NULL AND ${t.accommodation} IS NOT NULL) AND (${t.kind} = 'VEHICLE') = (${t.vehicleType} IS NOT NULL)`,
    ),
    check("price_lines_quantity_positive", sql`${t.quantity} > 0`),
    check("price_lines_amount", sql`${t.unitAmount} >= 0 AND ${t.amount} = ${t.unitAmount} * ${t.quantity}`),
  ],
);

/** One row per (passenger, leg) scanned at the port; the primary key makes a second check-in visible. */
export const checkins = pgTable(
  "checkins",
  {
    passengerId: integerRef("passenger_id", () => passengers.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: legDirections }).notNull(),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.passengerId, t.direction] })],
);
