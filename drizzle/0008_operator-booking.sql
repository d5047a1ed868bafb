ALTER TABLE "bookings" DROP CONSTRAINT "bookings_status";--> statement-breakpoint
ALTER TABLE "price_lines" DROP CONSTRAINT "price_lines_kind";--> statement-breakpoint
ALTER TABLE "booking_legs" ADD COLUMN "operator_reference" text;--> statement-breakpoint
ALTER TABLE "booking_legs" ADD COLUMN "operator_status" text;--> statement-breakpoint
ALTER TABLE "sailings" ADD COLUMN "operator_sailing_id" text;--> statement-breakpoint
ALTER TABLE "sailings" ADD CONSTRAINT "sailings_operator_sailing" UNIQUE("route_id","operator_sailing_id");--> statement-breakpoint
ALTER TABLE "booking_legs" ADD CONSTRAINT "booking_legs_operator_status" CHECK ("booking_legs"."operator_status" in ('provisional', 'confirmed', 'cancelled', 'released'));--> statement-breakpoint
ALTER TABLE "booking_legs" ADD CONSTRAINT "booking_legs_operator_pair" CHECK (("booking_legs"."operator_reference" IS NULL) = ("booking_legs"."operator_status" IS NULL));--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_status" CHECK ("bookings"."status" in ('PENDING_PAYMENT', 'CONFIRMING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'));--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_kind" CHECK ("price_lines"."kind" in ('PASSENGER', 'VEHICLE', 'PET', 'FEE'));