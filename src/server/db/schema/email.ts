import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { bookings, locales } from "./bookings";

export const emailStatuses = ["QUEUED", "SENT", "FAILED"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** e.g. `confirmed:<booking id>`: the same event never queues the same email twice. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    recipient: text("recipient").notNull(),
    locale: text("locale", { enum: locales }).notNull().default("en"),
    /** Template inputs that are not in the booking itself (refund amount, notice text …). No secrets. */
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: emailStatuses }).notNull().default("QUEUED"),
    providerId: text("provider_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("email_outbox_booking").on(t.bookingId),
    index("email_outbox_status").on(t.status, t.createdAt),
    check("email_outbox_attempts", sql`${t.attempts} >= 0`),
    oneOf("email_outbox_status", t.status, emailStatuses),
  ],
);
