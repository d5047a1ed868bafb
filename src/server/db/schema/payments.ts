import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { oneOf } from "./checks";
import { adminUsers } from "./admin";
import { bookings } from "./bookings";
import { uuidRef } from "./columns";

export const paymentStatuses = ["PENDING", "COMPLETED", "FAILED", "REFUNDED", "PARTIALLY_REFUNDED"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * Why a payment needs an admin's eye. A paid amount or currency that differs from the booking's total is
 * refunded in full and never confirms the booking (`applyPaidCheckout`); the flag keeps it visible.
 */
export const paymentFlags = ["AMOUNT_MISMATCH", "CURRENCY_MISMATCH"] as const;
export type PaymentFlag = (typeof paymentFlags)[number];

export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    checkoutSessionId: text("checkout_session_id").unique(),
    checkoutUrl: text("checkout_url"),
    checkoutExpiresAt: timestamp("checkout_expires_at", { withTimezone: true }),
    paymentIntentId: text("payment_intent_id").unique(),
    amount: integer("amount").notNull(),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    currency: text("currency").notNull(),
    status: text("status", { enum: paymentStatuses }).notNull().default("PENDING"),
    failureMessage: text("failure_message"),
    flag: text("flag", { enum: paymentFlags }),
    /**
     * The W3C traceparent of the request that created the payment (src/server/lib/tracing.ts), so the
     * Stripe webhook of its session continues the booking's trace. Two random ids: no personal data.
     */
    traceParent: text("trace_parent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payments_booking").on(t.bookingId),
    check(
      "payments_amounts",
      sql`${t.amount} >= 0 AND ${t.amountRefunded} >= 0 AND ${t.amountRefunded} <= ${t.amount}`,
    ),
    oneOf("payments_status", t.status, paymentStatuses),
    oneOf("payments_flag", t.flag, paymentFlags),
  ],
);

/** Refunds Traverse makes by itself, each followed by the `late_payment_refunded` email that says why. */
export const paymentRefundReasons = [
  "LATE_PAYMENT_NO_CAPACITY",
  "LATE_PAYMENT_SAILING_CANCELLED",
  "LATE_PAYMENT_DEPARTED",
  "LATE_PAYMENT_SALES_CLOSED",
  "PAYMENT_AMOUNT_MISMATCH",
  "PAYMENT_FOR_CANCELLED_BOOKING",
  "DUPLICATE_PAYMENT",
  /** A connected operator refused to confirm (or never answered in time) after the payment. */
  "OPERATOR_REFUSED",
] as const;
export type PaymentRefundReason = (typeof paymentRefundReasons)[number];

export type RefundReason =
  | "CUSTOMER_CANCELLATION"
  | "ADMIN_CANCELLATION"
  | "ADMIN_REFUND"
  | "SAILING_CANCELLED"
  | PaymentRefundReason;

export const refundStatuses = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type RefundStatus = (typeof refundStatuses)[number];

export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuidRef("booking_id", () => bookings.id, { onDelete: "cascade" }),
    paymentId: uuidRef("payment_id", () => payments.id),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: refundStatuses }).notNull().default("PENDING"),
    stripeRefundId: text("stripe_refund_id").unique(),
    failureReason: text("failure_reason"),
    createdBy: uuid("created_by").references(() => adminUsers.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("refunds_booking").on(t.bookingId),
    check("refunds_amount_positive", sql`${t.amount} > 0`),
    oneOf("refunds_status", t.status, refundStatuses),
  ],
);

/** Every verified webhook delivery, keyed by Stripe's event id so duplicates are dropped by the database. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  payload: jsonb("payload").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
});
