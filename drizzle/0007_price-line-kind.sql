ALTER TABLE "price_lines" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "price_lines" ADD COLUMN "passenger_type" text;--> statement-breakpoint
ALTER TABLE "price_lines" ADD COLUMN "accommodation" text;--> statement-breakpoint
ALTER TABLE "price_lines" ADD COLUMN "vehicle_type" text;--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_kind" CHECK ("price_lines"."kind" in ('PASSENGER', 'VEHICLE', 'PET'));--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_passenger_type" CHECK ("price_lines"."passenger_type" in ('adult', 'child', 'infant'));--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_accommodation" CHECK ("price_lines"."accommodation" in ('DECK', 'SEAT', 'CABIN_INSIDE', 'CABIN_OUTSIDE'));--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_vehicle_type" CHECK ("price_lines"."vehicle_type" in ('motorcycle', 'car', 'high_car', 'camper'));--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_kind_codes" CHECK (("price_lines"."kind" = 'PASSENGER') = ("price_lines"."passenger_type" IS NOT NULL AND "price_lines"."accommodation" IS NOT NULL) AND ("price_lines"."kind" = 'VEHICLE') = ("price_lines"."vehicle_type" IS NOT NULL));;--> statement-breakpoint
-- hand-written: existing lines get their kind and codes from the English description that
-- features/booking/create.ts (lineDescription) wrote, and the accommodation from their leg; only then is
-- "kind" made NOT NULL (the ADD COLUMN above was edited to leave it nullable: drizzle-kit generates NOT NULL,
-- which a table that already has rows refuses).
UPDATE "price_lines" pl SET
  "kind" = CASE
    WHEN pl."description" LIKE 'Vehicle · %' THEN 'VEHICLE'
    WHEN pl."description" LIKE 'Pet%' THEN 'PET'
    ELSE 'PASSENGER' END,
  "passenger_type" = CASE
    WHEN pl."description" LIKE 'Vehicle · %' OR pl."description" LIKE 'Pet%' THEN NULL
    WHEN pl."description" LIKE 'Child%' THEN 'child'
    WHEN pl."description" LIKE 'Infant%' THEN 'infant'
    ELSE 'adult' END,
  "accommodation" = CASE
    WHEN pl."description" LIKE 'Vehicle · %' OR pl."description" LIKE 'Pet%' THEN NULL
    ELSE (SELECT bl."accommodation" FROM "booking_legs" bl
          WHERE bl."booking_id" = pl."booking_id" AND bl."direction" = pl."direction") END,
  "vehicle_type" = CASE
    WHEN pl."description" LIKE 'Vehicle · %'
    THEN replace(substr(pl."description", length('Vehicle · ') + 1), ' ', '_') END;--> statement-breakpoint
ALTER TABLE "price_lines" ALTER COLUMN "kind" SET NOT NULL;
