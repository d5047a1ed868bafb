CREATE TABLE "admin_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"admin_user_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking_holds" (
	"booking_id" uuid NOT NULL,
	"sailing_id" integer NOT NULL,
	"resource" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "booking_holds_booking_id_sailing_id_resource_pk" PRIMARY KEY("booking_id","sailing_id","resource"),
	CONSTRAINT "booking_holds_quantity_positive" CHECK ("booking_holds"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "booking_legs" (
	"id" serial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"sailing_id" integer NOT NULL,
	"accommodation" text NOT NULL,
	CONSTRAINT "booking_legs_direction" UNIQUE("booking_id","direction"),
	CONSTRAINT "booking_legs_direction_value" CHECK ("booking_legs"."direction" in ('OUTBOUND', 'RETURN'))
);
--> statement-breakpoint
CREATE TABLE "booking_vehicles" (
	"booking_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"registration" text NOT NULL,
	"height_cm" integer,
	"length_cm" integer,
	CONSTRAINT "booking_vehicles_type" CHECK ("booking_vehicles"."type" in ('motorcycle', 'car', 'high_car', 'camper')),
	CONSTRAINT "booking_vehicles_height" CHECK ("booking_vehicles"."height_cm" IS NULL OR "booking_vehicles"."height_cm" > 0),
	CONSTRAINT "booking_vehicles_length" CHECK ("booking_vehicles"."length_cm" IS NULL OR "booking_vehicles"."length_cm" > 0)
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"status" text DEFAULT 'PENDING_PAYMENT' NOT NULL,
	"total_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"hold_expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "bookings_reference" UNIQUE("reference"),
	CONSTRAINT "bookings_reference_format" CHECK ("bookings"."reference" ~ '^TRV-[0-9A-HJKMNP-TV-Z]{8,}$'),
	CONSTRAINT "bookings_email_lowercase" CHECK ("bookings"."contact_email" = lower("bookings"."contact_email")),
	CONSTRAINT "bookings_total_non_negative" CHECK ("bookings"."total_amount" >= 0),
	CONSTRAINT "bookings_currency_format" CHECK ("bookings"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "bookings_status" CHECK ("bookings"."status" in ('PENDING_PAYMENT', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
	CONSTRAINT "bookings_locale" CHECK ("bookings"."locale" in ('en', 'fr', 'ar'))
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"passenger_id" integer NOT NULL,
	"direction" text NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkins_passenger_id_direction_pk" PRIMARY KEY("passenger_id","direction")
);
--> statement-breakpoint
CREATE TABLE "passengers" (
	"id" serial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"type" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"date_of_birth" date,
	"nationality" text,
	"document_number" text,
	CONSTRAINT "passengers_position" UNIQUE("booking_id","position"),
	CONSTRAINT "passengers_type" CHECK ("passengers"."type" in ('adult', 'child', 'infant'))
);
--> statement-breakpoint
CREATE TABLE "price_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_amount" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "price_lines_quantity_positive" CHECK ("price_lines"."quantity" > 0),
	CONSTRAINT "price_lines_amount" CHECK ("price_lines"."unit_amount" >= 0 AND "price_lines"."amount" = "price_lines"."unit_amount" * "price_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"recipient" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"provider_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_outbox_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "email_outbox_attempts" CHECK ("email_outbox"."attempts" >= 0),
	CONSTRAINT "email_outbox_status" CHECK ("email_outbox"."status" in ('QUEUED', 'SENT', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "fares" (
	"id" serial PRIMARY KEY NOT NULL,
	"route_id" integer NOT NULL,
	"sailing_id" integer,
	"kind" text NOT NULL,
	"accommodation" text,
	"passenger_type" text,
	"vehicle_type" text,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fares_item" UNIQUE NULLS NOT DISTINCT("route_id","sailing_id","kind","accommodation","passenger_type","vehicle_type"),
	CONSTRAINT "fares_kind" CHECK ("fares"."kind" in ('PASSENGER', 'VEHICLE', 'PET')),
	CONSTRAINT "fares_accommodation" CHECK ("fares"."accommodation" in ('DECK', 'SEAT', 'CABIN_INSIDE', 'CABIN_OUTSIDE')),
	CONSTRAINT "fares_passenger_type" CHECK ("fares"."passenger_type" in ('adult', 'child', 'infant')),
	CONSTRAINT "fares_vehicle_type" CHECK ("fares"."vehicle_type" in ('motorcycle', 'car', 'high_car', 'camper')),
	CONSTRAINT "fares_amount_non_negative" CHECK ("fares"."amount" >= 0),
	CONSTRAINT "fares_currency_format" CHECK ("fares"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "fares_kind_shape" CHECK (("fares"."kind" = 'PASSENGER' AND "fares"."accommodation" IS NOT NULL AND "fares"."passenger_type" IS NOT NULL AND "fares"."vehicle_type" IS NULL)
       OR ("fares"."kind" = 'VEHICLE' AND "fares"."vehicle_type" IS NOT NULL AND "fares"."accommodation" IS NULL AND "fares"."passenger_type" IS NULL)
       OR ("fares"."kind" = 'PET' AND "fares"."accommodation" IS NULL AND "fares"."passenger_type" IS NULL AND "fares"."vehicle_type" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ports" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"country" text NOT NULL,
	"time_zone" text NOT NULL,
	CONSTRAINT "ports_code_format" CHECK ("ports"."code" ~ '^[A-Z]{3}$'),
	CONSTRAINT "ports_country_format" CHECK ("ports"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "routes" (
	"id" serial PRIMARY KEY NOT NULL,
	"from_port" text NOT NULL,
	"to_port" text NOT NULL,
	"operator_code" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"international" boolean DEFAULT true NOT NULL,
	"refund_policy" text DEFAULT 'STANDARD' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routes_from_to_operator" UNIQUE("from_port","to_port","operator_code"),
	CONSTRAINT "routes_distinct_ports" CHECK ("routes"."from_port" <> "routes"."to_port"),
	CONSTRAINT "routes_duration_positive" CHECK ("routes"."duration_minutes" > 0),
	CONSTRAINT "routes_refund_policy" CHECK ("routes"."refund_policy" in ('STANDARD', 'FLEX'))
);
--> statement-breakpoint
CREATE TABLE "vessels" (
	"id" serial PRIMARY KEY NOT NULL,
	"operator_code" text NOT NULL,
	"name" text NOT NULL,
	"capacities" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "vessels_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "worker_heartbeats" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"checkout_session_id" text,
	"checkout_url" text,
	"checkout_expires_at" timestamp with time zone,
	"payment_intent_id" text,
	"amount" integer NOT NULL,
	"amount_refunded" integer DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"failure_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_checkout_session_id_unique" UNIQUE("checkout_session_id"),
	CONSTRAINT "payments_payment_intent_id_unique" UNIQUE("payment_intent_id"),
	CONSTRAINT "payments_amounts" CHECK ("payments"."amount" >= 0 AND "payments"."amount_refunded" >= 0 AND "payments"."amount_refunded" <= "payments"."amount"),
	CONSTRAINT "payments_status" CHECK ("payments"."status" in ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED'))
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"stripe_refund_id" text,
	"failure_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_stripe_refund_id_unique" UNIQUE("stripe_refund_id"),
	CONSTRAINT "refunds_amount_positive" CHECK ("refunds"."amount" > 0),
	CONSTRAINT "refunds_status" CHECK ("refunds"."status" in ('PENDING', 'SUCCEEDED', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inventory" (
	"sailing_id" integer NOT NULL,
	"resource" text NOT NULL,
	"capacity" integer NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"sold" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "inventory_sailing_id_resource_pk" PRIMARY KEY("sailing_id","resource"),
	CONSTRAINT "inventory_within_capacity" CHECK ("inventory"."held" >= 0 AND "inventory"."sold" >= 0 AND "inventory"."held" + "inventory"."sold" <= "inventory"."capacity"),
	CONSTRAINT "inventory_resource" CHECK ("inventory"."resource" in ('PASSENGER', 'DECK', 'SEAT', 'CABIN_INSIDE', 'CABIN_OUTSIDE', 'VEHICLE', 'KENNEL'))
);
--> statement-breakpoint
CREATE TABLE "sailings" (
	"id" serial PRIMARY KEY NOT NULL,
	"route_id" integer NOT NULL,
	"vessel_id" integer NOT NULL,
	"departure_at" timestamp with time zone NOT NULL,
	"arrival_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'SCHEDULED' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sailings_route_departure" UNIQUE("route_id","departure_at"),
	CONSTRAINT "sailings_arrival_after_departure" CHECK ("sailings"."arrival_at" > "sailings"."departure_at"),
	CONSTRAINT "sailings_status" CHECK ("sailings"."status" in ('SCHEDULED', 'CANCELLED'))
);
--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."admin_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_admin_user_id_admin_users_id_fk" FOREIGN KEY ("admin_user_id") REFERENCES "public"."admin_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_holds" ADD CONSTRAINT "booking_holds_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_holds" ADD CONSTRAINT "booking_holds_sailing_id_sailings_id_fk" FOREIGN KEY ("sailing_id") REFERENCES "public"."sailings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_legs" ADD CONSTRAINT "booking_legs_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_legs" ADD CONSTRAINT "booking_legs_sailing_id_sailings_id_fk" FOREIGN KEY ("sailing_id") REFERENCES "public"."sailings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_vehicles" ADD CONSTRAINT "booking_vehicles_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_passenger_id_passengers_id_fk" FOREIGN KEY ("passenger_id") REFERENCES "public"."passengers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passengers" ADD CONSTRAINT "passengers_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lines" ADD CONSTRAINT "price_lines_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fares" ADD CONSTRAINT "fares_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fares" ADD CONSTRAINT "fares_sailing_id_sailings_id_fk" FOREIGN KEY ("sailing_id") REFERENCES "public"."sailings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_from_port_ports_code_fk" FOREIGN KEY ("from_port") REFERENCES "public"."ports"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_to_port_ports_code_fk" FOREIGN KEY ("to_port") REFERENCES "public"."ports"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vessels" ADD CONSTRAINT "vessels_operator_code_operators_code_fk" FOREIGN KEY ("operator_code") REFERENCES "public"."operators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_created_by_admin_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_sailing_id_sailings_id_fk" FOREIGN KEY ("sailing_id") REFERENCES "public"."sailings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sailings" ADD CONSTRAINT "sailings_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sailings" ADD CONSTRAINT "sailings_vessel_id_vessels_id_fk" FOREIGN KEY ("vessel_id") REFERENCES "public"."vessels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_sessions_user" ON "admin_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_entity" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "login_attempts_key_at" ON "login_attempts" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "booking_legs_sailing" ON "booking_legs" USING btree ("sailing_id");--> statement-breakpoint
CREATE INDEX "bookings_email" ON "bookings" USING btree ("contact_email");--> statement-breakpoint
CREATE INDEX "bookings_pending_hold" ON "bookings" USING btree ("hold_expires_at") WHERE "bookings"."status" = 'PENDING_PAYMENT';--> statement-breakpoint
CREATE INDEX "price_lines_booking" ON "price_lines" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "email_outbox_booking" ON "email_outbox" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "email_outbox_status" ON "email_outbox" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "fares_sailing" ON "fares" USING btree ("sailing_id");--> statement-breakpoint
CREATE INDEX "routes_from_to" ON "routes" USING btree ("from_port","to_port");--> statement-breakpoint
CREATE INDEX "payments_booking" ON "payments" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "refunds_booking" ON "refunds" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "sailings_departure" ON "sailings" USING btree ("departure_at");