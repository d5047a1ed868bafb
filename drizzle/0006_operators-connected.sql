-- Connected operators: how Traverse reaches each operator's reservation system, and the change feed's
-- bookkeeping. Existing rows become own operators (sold from Traverse's inventory), as before.
ALTER TABLE "operators" ADD COLUMN "kind" text DEFAULT 'own' NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "base_url" text;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "timeout_ms" integer DEFAULT 1500;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "markup_bps" integer DEFAULT 800 NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "change_cursor" text;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "last_sync_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN "last_sync_error" text;--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_code_format" CHECK ("operators"."code" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_kind" CHECK ("operators"."kind" in ('own', 'connected'));--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_connected_base_url" CHECK ("operators"."kind" <> 'connected' OR "operators"."base_url" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_base_url_format" CHECK ("operators"."base_url" IS NULL OR "operators"."base_url" ~ '^https?://[^[:space:]]+$');--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_timeout_range" CHECK ("operators"."timeout_ms" IS NULL OR "operators"."timeout_ms" BETWEEN 100 AND 30000);--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_markup_range" CHECK ("operators"."markup_bps" BETWEEN 0 AND 5000);--> statement-breakpoint
ALTER TABLE "operators" ADD CONSTRAINT "operators_sync_error_short" CHECK (char_length("operators"."last_sync_error") <= 300);