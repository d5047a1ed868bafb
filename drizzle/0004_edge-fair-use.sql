DROP INDEX "rate_limits_window";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "client_key" text;--> statement-breakpoint
-- Existing counters are keyed with the old unkeyed hash and last at most an hour: dropping them lets the
-- new column be NOT NULL without a guessed backfill.
DELETE FROM "rate_limits";--> statement-breakpoint
ALTER TABLE "rate_limits" ADD COLUMN "expires_at" timestamp with time zone NOT NULL;--> statement-breakpoint
CREATE INDEX "bookings_pending_client" ON "bookings" USING btree ("client_key") WHERE "bookings"."status" = 'PENDING_PAYMENT';--> statement-breakpoint
CREATE INDEX "rate_limits_expires" ON "rate_limits" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_client_key_hashed" CHECK ("bookings"."client_key" ~ '^[0-9a-f]{32}$');--> statement-breakpoint
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_window_order" CHECK ("rate_limits"."expires_at" > "rate_limits"."window_start");
