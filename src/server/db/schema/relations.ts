import { relations } from "drizzle-orm";
import { adminUsers } from "./admin";
import { bookingLegs, bookings, bookingVehicles, passengers, priceLines } from "./bookings";
import { emailOutbox } from "./email";
import { operators, ports, routes, vessels } from "./network";
import { payments, refunds } from "./payments";
import { sailings } from "./sailings";

/**
 * The links relational queries follow (`db.query.bookings.findFirst({ with: … })`). They add no
 * constraint: the foreign keys are in the tables. Only the links some query reads are declared.
 */

export const routesRelations = relations(routes, ({ one }) => ({
  from: one(ports, { fields: [routes.fromPort], references: [ports.code] }),
  to: one(ports, { fields: [routes.toPort], references: [ports.code] }),
  operator: one(operators, { fields: [routes.operatorCode], references: [operators.code] }),
}));

export const sailingsRelations = relations(sailings, ({ one }) => ({
  route: one(routes, { fields: [sailings.routeId], references: [routes.id] }),
  vessel: one(vessels, { fields: [sailings.vesselId], references: [vessels.id] }),
}));

export const bookingsRelations = relations(bookings, ({ many, one }) => ({
  legs: many(bookingLegs),
  passengers: many(passengers),
  // Declared from the vehicle's side (its booking_id), so a booking without a vehicle reads as null.
  vehicle: one(bookingVehicles),
  priceLines: many(priceLines),
  payments: many(payments),
  refunds: many(refunds),
  emails: many(emailOutbox),
}));

export const bookingLegsRelations = relations(bookingLegs, ({ one }) => ({
  booking: one(bookings, { fields: [bookingLegs.bookingId], references: [bookings.id] }),
  sailing: one(sailings, { fields: [bookingLegs.sailingId], references: [sailings.id] }),
}));

export const passengersRelations = relations(passengers, ({ one }) => ({
  booking: one(bookings, { fields: [passengers.bookingId], references: [bookings.id] }),
}));

export const bookingVehiclesRelations = relations(bookingVehicles, ({ one }) => ({
  booking: one(bookings, { fields: [bookingVehicles.bookingId], references: [bookings.id] }),
}));

export const priceLinesRelations = relations(priceLines, ({ one }) => ({
  booking: one(bookings, { fields: [priceLines.bookingId], references: [bookings.id] }),
}));

export const paymentsRelations = relations(payments, ({ one }) => ({
  booking: one(bookings, { fields: [payments.bookingId], references: [bookings.id] }),
}));

export const refundsRelations = relations(refunds, ({ one }) => ({
  booking: one(bookings, { fields: [refunds.bookingId], references: [bookings.id] }),
  createdByAdmin: one(adminUsers, { fields: [refunds.createdBy], references: [adminUsers.id] }),
}));

export const emailOutboxRelations = relations(emailOutbox, ({ one }) => ({
  booking: one(bookings, { fields: [emailOutbox.bookingId], references: [bookings.id] }),
}));
